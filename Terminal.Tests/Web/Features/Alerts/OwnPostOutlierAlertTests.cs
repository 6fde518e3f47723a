using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.LinkedAccounts;
using Terminal.Web.Features.Alerts;
using WireMock.RequestBuilders;
using static Terminal.Tests.Jobs.LinkedAccounts.PlatformFakes;

namespace Terminal.Tests.Web.Features.Alerts;

/// <summary>
/// SPEC §11 "an outlier among the user's own posts": a linked-account sync (TikTok's Display API played by
/// WireMock) stores the posts, and the owner's <c>own_post_outlier</c> rules are judged on them with the
/// SPEC §10 outlier ratio — once per post, for the owner only.
/// </summary>
public sealed class OwnPostOutlierAlertTests(PlatformsWebFactory factory) : IClassFixture<PlatformsWebFactory>
{
    /// <summary>
    /// Views read once, days after publication, give views at 24 h on the line from (publication, 0):
    /// <c>views × 24 h ÷ age</c>. The four older posts make a usual of about 1,000 at 24 h (900, 1,000,
    /// 1,000, 1,100 → median 1,000); "viral" has 60,000 after 3 days → 20,000 at 24 h = 20× (its 95%
    /// interval, views ÷ the bootstrap medians' 97.5th/2.5th percentiles ≤ 1,100, stays far above 1);
    /// "normal" has 2,200 after 2 days → 1,100 = 1.1×, under the rule's 3×; "young" is 5 h old and has no
    /// 24 h value yet, so however big it is it is not judged (never extrapolated).
    /// </summary>
    private static TikTokVideo[] Videos(DateTime now) =>
    [
        new("b1", "usual one", now.AddDays(-12), 12 * 900, 10, 1, 0),
        new("b2", "usual two", now.AddDays(-11), 11 * 1000, 10, 1, 0),
        new("b3", "usual three", now.AddDays(-10), 10 * 1000, 10, 1, 0),
        new("b4", "usual four", now.AddDays(-9), 9 * 1100, 10, 1, 0),
        new("viral", "the viral one", now.AddDays(-3), 3 * 20_000, 900, 40, 30),
        new("normal", "an ordinary day", now.AddDays(-2), 2 * 1100, 20, 2, 1),
        new("young", "just posted", now.AddHours(-5), 500_000, 9000, 300, 200),
    ];

    private async Task<(AuthenticatedClient User, string Code)> NewUserWithVideosAsync()
    {
        var user = await factory.CreateUserClientAsync();
        var code = "code-" + Guid.NewGuid().ToString("N");
        // This user's token gets this video list (ahead of the fixture's shared one).
        factory.Platforms.Given(Request.Create().WithPath("/tiktok/v2/video/list/").UsingPost().WithHeader("Authorization", "Bearer act." + code)).AtPriority(5)
            .RespondWith(Json(TikTokOk(new
            {
                videos = Videos(DateTime.UtcNow).Select(v => TikTokVideoJson(v, code + "-")),
                cursor = 1,
                has_more = false,
            })));
        return (user, code);
    }

    private static async Task<AlertRuleTests.FiringDto[]> FiringsAsync(AuthenticatedClient user) =>
        (await user.Http.GetFromJsonAsync<AlertRuleTests.FiringDto[]>("/api/alerts"))!;

    private Task<long> PostIdAsync(string userId, string externalId) =>
        factory.WithDbAsync(db => db.PlatformPosts.Where(p => p.UserId == userId && p.ExternalId == externalId).Select(p => p.Id).SingleAsync());

    [Fact]
    public async Task SyncStoringAnOutlierPost_FiresOnce_NotAgainOnTheNextSync_AndOnlyForItsOwner()
    {
        var (owner, code) = await NewUserWithVideosAsync();
        var stranger = await factory.CreateUserClientAsync();
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "own_post_outlier", scope = "account:all", threshold = 3 }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await stranger.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "own_post_outlier", scope = "account:all", threshold = 1 }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var toasts = new ConcurrentQueue<(string UserId, AlertMessage Message)>();
        var notifier = factory.Services.GetRequiredService<AlertNotifier>();
        void OnFired(string userId, AlertMessage message) => toasts.Enqueue((userId, message));
        notifier.Fired += OnFired;
        try
        {
            await factory.LinkAsync(owner, Platform.TikTok, code, TikTokTokens(code));
            await factory.WaitForFinishedRunsAsync(owner.UserId, 1);

            var viral = await PostIdAsync(owner.UserId, $"{code}-viral");
            var first = await FiringsAsync(owner);
            var firing = first.Should().ContainSingle("only the viral post beat its account's usual by 3× (normal is 1.1×, young has no 24 h value)").Subject;
            firing.Kind.Should().Be("own_post_outlier");
            firing.Entity.Should().Be($"post:{viral}");
            firing.Value.Should().BeApproximately(20, 0.5, "20,000 views at 24 h ÷ a usual of 1,000");
            firing.Message.Should().Contain("the viral one").And.Contain("20× your usual at 24 h");
            toasts.Should().ContainSingle(t => t.UserId == owner.UserId).Which.Message.Entity.Should().Be($"post:{viral}");

            (await owner.Http.PostAsync("/api/sync/tiktok", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            await factory.WaitForFinishedRunsAsync(owner.UserId, 2);

            (await FiringsAsync(owner)).Should().ContainSingle("the stored firing keeps the next sync from firing the same post again");
            (await FiringsAsync(stranger)).Should().BeEmpty("another user's rule never sees the owner's posts");
            toasts.Should().NotContain(t => t.UserId == stranger.UserId);
        }
        finally
        {
            notifier.Fired -= OnFired;
        }
    }

    [Fact]
    public async Task RuleOnOneLinkedAccount_FiresForThatAccount()
    {
        var (owner, code) = await NewUserWithVideosAsync();
        await factory.LinkAsync(owner, Platform.TikTok, code, TikTokTokens(code));
        await factory.WaitForFinishedRunsAsync(owner.UserId, 1);
        var accountId = await factory.WithDbAsync(db => db.PlatformAccounts.Where(a => a.UserId == owner.UserId).Select(a => a.Id).SingleAsync());
        (await FiringsAsync(owner)).Should().BeEmpty("no rule existed during the first sync");
        var created = await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "own_post_outlier", scope = $"account:{accountId}" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var rule = (await created.Content.ReadFromJsonAsync<AlertRuleTests.RuleDto>())!;
        rule.Threshold.Should().Be(2, "the default ratio");

        (await owner.Http.PostAsync("/api/sync/tiktok", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await factory.WaitForFinishedRunsAsync(owner.UserId, 2);

        var viral = await PostIdAsync(owner.UserId, $"{code}-viral");
        (await FiringsAsync(owner)).Should().ContainSingle().Which.Should().Match<AlertRuleTests.FiringDto>(f => f.RuleId == rule.Id && f.Entity == $"post:{viral}");
    }

    [Fact]
    public async Task BadOwnPostRules_Get400_WithTheErrorBody()
    {
        var (owner, code) = await NewUserWithVideosAsync();
        await factory.LinkAsync(owner, Platform.TikTok, code, TikTokTokens(code));
        var ownersAccount = await factory.WithDbAsync(db => db.PlatformAccounts.Where(a => a.UserId == owner.UserId).Select(a => a.Id).SingleAsync());
        var other = await factory.CreateUserClientAsync();

        await (await other.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "own_post_outlier", scope = $"account:{ownersAccount}" }))
            .ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
        await (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "own_post_outlier", scope = "creator:3" }))
            .ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
        await (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = "account:all", threshold = 50 }))
            .ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
        await (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "own_post_outlier", scope = "account:mine" }))
            .ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
        await (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "own_post_outlier", scope = "account:all", threshold = 0.5 }))
            .ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_threshold");
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "own_post_outlier", scope = $"account:{ownersAccount}", threshold = 4 }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
