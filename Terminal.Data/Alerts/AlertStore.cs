using Terminal.Core.Alerts;

namespace Terminal.Data.Alerts;

/// <summary><see cref="IAlertStore"/> over the database; every user-facing query is filtered by the owner.</summary>
public sealed class AlertStore(TerminalDatabase database) : IAlertStore
{
    public async Task<IReadOnlyList<AlertRule>> RulesAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.AlertRules.AsNoTracking().Where(r => r.UserId == userId).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    public async Task<IReadOnlyList<AlertRule>> AllRulesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.AlertRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    public Task<AlertRule?> AddRuleAsync(AlertRule rule, int maxRules, CancellationToken cancellationToken = default) =>
        // Count and insert in one serializable transaction, so two concurrent requests cannot both pass the limit.
        database.InTransactionAsync(System.Data.IsolationLevel.Serializable, async (db, ct) =>
        {
            if (await db.AlertRules.CountAsync(r => r.UserId == rule.UserId, ct) >= maxRules)
            {
                return null;
            }

            var row = new AlertRuleRow
            {
                UserId = rule.UserId, Kind = rule.Kind, ScopeType = rule.Scope.Type, ScopeId = rule.Scope.Id, Threshold = rule.Threshold,
                CooldownMinutes = rule.CooldownMinutes, Channels = rule.Channels, Period = rule.Period, CreatedAt = rule.CreatedAt,
            };
            db.AlertRules.Add(row);
            await db.SaveChangesAsync(ct);
            return (AlertRule?)ToModel(row);
        }, cancellationToken);

    public async Task<bool> DeleteRuleAsync(string userId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.AlertRules.Where(r => r.Id == id && r.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task<AlertFiring> AddFiringAsync(NewAlertFiring firing, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = new AlertFiringRow
        {
            RuleId = firing.RuleId, UserId = firing.UserId, Kind = firing.Kind, Entity = firing.Entity,
            Message = firing.Message.Length > 500 ? firing.Message[..500] : firing.Message, Value = firing.Value, At = firing.At,
        };
        db.AlertFirings.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return ToModel(row);
    }

    public async Task<bool> HasFiredAsync(string userId, long ruleId, string entity, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.AlertFirings.AsNoTracking().AnyAsync(f => f.UserId == userId && f.RuleId == ruleId && f.Entity == entity, cancellationToken);
    }

    public async Task<IReadOnlyList<AlertLastFiring>> LatestFiringsSinceAsync(DateTime since, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.AlertFirings.AsNoTracking().Where(f => f.At >= since)
            .GroupBy(f => new { f.RuleId, f.Entity })
            .Select(g => new { g.Key.RuleId, g.Key.Entity, At = g.Max(f => f.At) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new AlertLastFiring(r.RuleId, r.Entity, DateTime.SpecifyKind(r.At, DateTimeKind.Utc))).ToList();
    }

    public async Task<IReadOnlyList<AlertFiring>> FiringsAsync(string userId, DateTime? since, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var query = db.AlertFirings.AsNoTracking().Where(f => f.UserId == userId);
        if (since is { } s)
        {
            query = query.Where(f => f.At >= s);
        }

        var rows = await query.OrderByDescending(f => f.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    public async Task<int> UnacknowledgedCountAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.AlertFirings.CountAsync(f => f.UserId == userId && f.AcknowledgedAt == null, cancellationToken);
    }

    public async Task<bool> AcknowledgeAsync(string userId, long firingId, DateTime at, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.AlertFirings.FirstOrDefaultAsync(f => f.Id == firingId && f.UserId == userId, cancellationToken);
        if (row is null)
        {
            return false;
        }

        row.AcknowledgedAt ??= at;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> WebhooksAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.WebhookEndpoints.AsNoTracking().Where(w => w.UserId == userId).OrderBy(w => w.Id).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    public Task<WebhookEndpoint?> AddWebhookAsync(string userId, string url, string secretReference, int maxWebhooks, DateTime now, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(System.Data.IsolationLevel.Serializable, async (db, ct) =>
        {
            if (await db.WebhookEndpoints.CountAsync(w => w.UserId == userId, ct) >= maxWebhooks)
            {
                return null;
            }

            var row = new WebhookEndpointRow { UserId = userId, Url = url, SecretReference = secretReference, Enabled = true, CreatedAt = now };
            db.WebhookEndpoints.Add(row);
            await db.SaveChangesAsync(ct);
            return (WebhookEndpoint?)ToModel(row);
        }, cancellationToken);

    public async Task<string?> WebhookSecretReferenceAsync(long endpointId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.WebhookEndpoints.AsNoTracking().Where(w => w.Id == endpointId).Select(w => w.SecretReference).FirstOrDefaultAsync(cancellationToken);
    }

    public Task<string?> DeleteWebhookAsync(string userId, long id, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(System.Data.IsolationLevel.ReadCommitted, async (db, ct) =>
        {
            var reference = await db.WebhookEndpoints.Where(w => w.Id == id && w.UserId == userId).Select(w => w.SecretReference).FirstOrDefaultAsync(ct);
            return reference is not null && await db.WebhookEndpoints.Where(w => w.Id == id && w.UserId == userId).ExecuteDeleteAsync(ct) > 0 ? reference : null;
        }, cancellationToken);

    public async Task<WebhookEndpoint?> EnableWebhookAsync(string userId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(w => w.Id == id && w.UserId == userId, cancellationToken);
        if (endpoint is null)
        {
            return null;
        }

        endpoint.Enabled = true;
        endpoint.ConsecutiveFailures = 0;
        endpoint.DisabledAt = null;
        await db.SaveChangesAsync(cancellationToken);
        return ToModel(endpoint);
    }

    public Task<WebhookEndpoint?> RecordDeliveryAsync(long endpointId, long firingId, int attempt, int? responseCode, string? error, bool success, int disableAfter, DateTime at, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(System.Data.IsolationLevel.ReadCommitted, async (db, ct) =>
        {
            var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(w => w.Id == endpointId, ct);
            if (endpoint is null)
            {
                return null;
            }

            db.WebhookDeliveries.Add(new WebhookDeliveryRow
            {
                EndpointId = endpointId, FiringId = firingId, Attempt = attempt, ResponseCode = responseCode,
                Error = error is { Length: > 500 } ? error[..500] : error, At = at,
            });
            if (success)
            {
                endpoint.ConsecutiveFailures = 0;
            }
            else
            {
                endpoint.ConsecutiveFailures++;
                if (endpoint.Enabled && endpoint.ConsecutiveFailures >= disableAfter)
                {
                    endpoint.Enabled = false;
                    endpoint.DisabledAt = at;
                }
            }

            await db.SaveChangesAsync(ct);
            return (WebhookEndpoint?)ToModel(endpoint);
        }, cancellationToken);

    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(string userId, long endpointId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var owned = await db.WebhookEndpoints.AnyAsync(w => w.Id == endpointId && w.UserId == userId, cancellationToken);
        if (!owned)
        {
            return [];
        }

        var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId).OrderByDescending(d => d.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(d => new WebhookDelivery(d.Id, d.EndpointId, d.FiringId, d.Attempt, d.ResponseCode, d.Error, d.At)).ToList();
    }

    private static AlertRule ToModel(AlertRuleRow r) =>
        new(r.Id, r.UserId, r.Kind, new AlertScope(r.ScopeType, r.ScopeId), r.Threshold, r.CooldownMinutes, r.Channels, r.Period, r.CreatedAt);

    private static AlertFiring ToModel(AlertFiringRow f) =>
        new(f.Id, f.RuleId, f.UserId, f.Kind, f.Entity, f.Message, f.Value, f.At, f.AcknowledgedAt);

    private static WebhookEndpoint ToModel(WebhookEndpointRow w) =>
        new(w.Id, w.UserId, w.Url, w.Enabled, w.ConsecutiveFailures, w.CreatedAt, w.DisabledAt);
}
