using Microsoft.EntityFrameworkCore;
using Terminal.Core.Accounts;
using Terminal.Data;
using Terminal.Web.Features.Billing;

namespace Terminal.Web.Features.Admin;

/// <summary>A user as ADMIN lists it.</summary>
public sealed record AdminUser(string Id, string Email, Plan Plan, int Credits, string? SubscriptionStatus, DateTime CreatedAt, bool IsAdmin);

public sealed record SetPlanRequest(string? Plan);

public sealed record JobActionResult(string Group, string Key, string Action);

/// <summary><c>/api/admin</c> (Admin role; 403 for others, 401 anonymous): jobs and users. Clip and ingestion
/// endpoints are mapped by their own features under the same prefix.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Roles.Admin);
        group.MapGet("/jobs", ListJobs)
            .WithSummary("Every scheduled Quartz job: key, group, trigger, previous/next fire, last result and duration.");
        group.MapPost("/jobs/{group}/{key}/trigger", (string group, string key, AdminJobsService jobs, CancellationToken ct) =>
                Act(group, key, "trigger", jobs.TriggerAsync, ct))
            .WithSummary("Run the job now.");
        group.MapPost("/jobs/{group}/{key}/pause", (string group, string key, AdminJobsService jobs, CancellationToken ct) =>
                Act(group, key, "pause", jobs.PauseAsync, ct))
            .WithSummary("Pause the job's triggers.");
        group.MapPost("/jobs/{group}/{key}/resume", (string group, string key, AdminJobsService jobs, CancellationToken ct) =>
                Act(group, key, "resume", jobs.ResumeAsync, ct))
            .WithSummary("Resume the job's triggers.");
        group.MapGet("/users", ListUsers)
            .WithSummary("Every account with plan, credit balance and subscription status.");
        group.MapPut("/users/{id}/plan", SetPlan)
            .WithSummary("Set a user's plan (free, pro, enterprise). A paid plan grants its monthly credits once per month.");
        group.MapPost("/users/{id}/plan", SetPlan)
            .WithSummary("Same as PUT: set a user's plan.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AdminJob>>> ListJobs(AdminJobsService jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.ListAsync(cancellationToken));

    private static async Task<Results<Ok<JobActionResult>, JsonHttpResult<ApiErrorBody>>> Act(
        string group, string key, string action, Func<string, string, CancellationToken, Task<bool>> run, CancellationToken cancellationToken) =>
        await run(group, key, cancellationToken)
            ? TypedResults.Ok(new JobActionResult(group, key, action))
            : ApiResults.NotFound("job_not_found", $"No job {group}.{key}.");

    public static async Task<IReadOnlyList<AdminUser>> QueryUsersAsync(TerminalDbContext db, CancellationToken cancellationToken)
    {
        var adminRoleId = await db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var admins = adminRoleId is null
            ? []
            : (await db.UserRoles.Where(r => r.RoleId == adminRoleId).Select(r => r.UserId).ToListAsync(cancellationToken)).ToHashSet();
        var balances = await db.CreditLedger.GroupBy(e => e.UserId).Select(g => new { g.Key, Sum = g.Sum(e => e.Amount) })
            .ToDictionaryAsync(x => x.Key, x => x.Sum, cancellationToken);
        var statuses = await db.BillingSubscriptions.ToDictionaryAsync(s => s.UserId, s => s.Status, cancellationToken);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Email, u.Plan, u.CreatedAt }).ToListAsync(cancellationToken);
        return users
            .Select(u => new AdminUser(u.Id, u.Email ?? "", u.Plan, balances.GetValueOrDefault(u.Id), statuses.GetValueOrDefault(u.Id), u.CreatedAt, admins.Contains(u.Id)))
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private static async Task<Ok<IReadOnlyList<AdminUser>>> ListUsers(IDbContextFactory<TerminalDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return TypedResults.Ok(await QueryUsersAsync(db, cancellationToken));
    }

    private static async Task<Ok<AdminUser>> SetPlan(string id, SetPlanRequest request, BillingService billing, IDbContextFactory<TerminalDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await billing.SetPlanAsync(id, request.Plan, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await QueryUsersAsync(db, cancellationToken);
        return TypedResults.Ok(users.First(u => u.Id == id));
    }
}
