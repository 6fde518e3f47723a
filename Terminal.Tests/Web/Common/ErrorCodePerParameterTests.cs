using System.Text.RegularExpressions;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Common;

/// <summary>
/// Issue #10: one error code per parameter across the whole API. <see cref="Table"/> is the parameter → code
/// table (a missing required parameter and a bad value of it share the parameter's code; fields that are only
/// checked together share one row). The tests read every <c>invalid_*</c>, <c>missing_*</c> and <c>unknown_*</c>
/// literal in the product's source: a code that is not in the table fails, and putting it in the table for a
/// parameter that already has a code (or under a second parameter) fails too.
/// </summary>
public sealed partial class ErrorCodePerParameterTests
{
    /// <summary>Parameter (query, body field or header; <c>a+b</c> for fields checked as one) → its one error code.</summary>
    public static readonly (string Parameter, string Code)[] Table =
    [
        ("period", "invalid_period"),
        ("platform", "invalid_platform"),
        ("type", "invalid_type"),
        ("kind", "invalid_kind"),
        ("limit", "invalid_limit"),
        ("take", "invalid_take"),
        ("source", "invalid_source"),
        ("sourceUrl", "invalid_source_url"),
        ("topic", "invalid_topic"),
        ("entity", "invalid_entity"),
        ("entityId", "invalid_entity_id"),
        ("metric", "invalid_metric"),
        ("since", "invalid_since"),
        ("creatorId", "invalid_creator_id"),
        ("creatorIds", "invalid_creator_ids"),
        ("status", "invalid_status"),
        ("format", "invalid_format"),
        ("vodId", "invalid_vod"),
        ("title", "invalid_title"),
        ("startTime+endTime", "invalid_range"),
        ("mode", "invalid_mode"),
        ("sig+exp (signed link)", "invalid_link"),
        ("scope", "invalid_scope"),
        ("threshold", "invalid_threshold"),
        ("cooldownMinutes", "invalid_cooldown"),
        ("channels", "invalid_channels"),
        ("webhookUrl", "invalid_webhook_url"),
        ("cadence", "invalid_cadence"),
        ("name", "invalid_name"),
        ("items", "invalid_item"),
        ("email", "invalid_email"),
        ("password / newPassword", "invalid_password"),
        ("currentPassword", "wrong_password"),
        ("email+password (registration, Identity's other rules)", "invalid_registration"),
        ("email+password (sign-in)", "invalid_credentials"),
        ("clientId+clientSecret", "invalid_credentials_format"),
        ("state (OAuth callback)", "invalid_state"),
        ("plan", "invalid_plan"),
        ("enabled", "invalid_body"),
        ("X-Api-Key", "invalid_api_key"),
        ("apiKey (YouTube Data API key)", "invalid_youtube_api_key"),
        ("businessAccountId", "invalid_account_id"),
        ("accessToken", "invalid_access_token"),
        ("handle", "invalid_handle"),
        ("Stripe-Signature", "invalid_signature"),
        ("request body (JSON)", "invalid_json"),
    ];

    /// <summary>Codes that platforms (OAuth servers, platform APIs) answer us with; they are not codes of this API.</summary>
    private static readonly string[] PlatformCodes = ["invalid_grant", "invalid_client", "invalid_request", "invalid_response"];

    [Fact]
    public void EachParameter_HasOneCode_AndEachCode_NamesOneParameter()
    {
        Table.GroupBy(r => r.Parameter).Where(g => g.Count() > 1).Select(g => g.Key).Should().BeEmpty("a parameter answers one code");
        Table.GroupBy(r => r.Code).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(r => r.Parameter))}").Should().BeEmpty("a code names one parameter");
    }

    [Fact]
    public void EveryCodeInTheSource_IsTheTablesCodeForItsParameter()
    {
        var used = ProductSources()
            .SelectMany(f => CodeLiteral().Matches(File.ReadAllText(f)).Select(m => (Code: m.Groups[1].Value, File: Path.GetFileName(f))))
            .Where(u => !PlatformCodes.Contains(u.Code))
            .ToList();
        used.Should().NotBeEmpty("the scan reads the product's sources");

        var known = Table.Select(r => r.Code).ToHashSet();
        used.Where(u => !known.Contains(u.Code)).Select(u => $"{u.Code} ({u.File})").Distinct().Should()
            .BeEmpty("each code belongs to a parameter of the table; a second code for a parameter is a clash");
    }

    [Fact]
    public void EveryCodeOfTheTable_IsStillAnswered()
    {
        var text = string.Concat(ProductSources().Select(File.ReadAllText));
        Table.Where(r => !text.Contains($"\"{r.Code}\"", StringComparison.Ordinal)).Select(r => r.Code).Should().BeEmpty("the table lists only codes the API answers");
    }

    private static IEnumerable<string> ProductSources() =>
        new[] { "Terminal.Core", "Terminal.Data", "Terminal.Jobs", "Terminal.Web" }
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, p), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex("\"((?:invalid|missing|unknown)_[a-z_]+)\"")]
    private static partial Regex CodeLiteral();
}
