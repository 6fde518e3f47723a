using System.Net.Http.Json;
using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Terminal.Core.Clips;
using Terminal.Core.Credits;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Clips;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>
/// Issue #16 bug 6: when an admin cancels someone's clip, the owner's open desk takes the refunded
/// balance at once and says who cancelled, in the job row and in a toast.
/// </summary>
public sealed class ClipCancelNoticeTests(ClipsWebFactory factory) : BunitTestBase, IClassFixture<ClipsWebFactory>
{
    [Fact]
    public async Task AdminCancel_PushesTheRefundedBalance_AndNamesTheAdmin_OnTheOwnersDesk()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 6, "Cancel notice");
        await factory.Services.GetRequiredService<VodMediaService>().ProbeAsync(vod.Id, CancellationToken.None);
        var id = await SeedPendingChargedClipAsync(user.UserId, vod.Id);
        foreach (var type in new[] { typeof(ClipDesk), typeof(ClipDeskQueries), typeof(VodMediaService), typeof(ClipService), typeof(ClipProgressFeed), typeof(ClipLinkSigner), typeof(ICreditLedger), typeof(IDbContextFactory<TerminalDbContext>), typeof(IMarketQueries), typeof(VodPreparationProgress) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        var snackbars = Render<MudSnackbarProvider>();
        var desk = Render<Terminal.Web.Features.Clips.ClipDeskPage>(p => p.Add(d => d.VodId, vod.Id));
        desk.WaitForAssertion(() => desk.FindAll("[data-testid=clip-job][data-status=pending]").Should().HaveCount(1), TimeSpan.FromSeconds(60));
        desk.Find("[data-testid=credits]").TextContent.Should().Be("CREDITS 19");

        await factory.Services.GetRequiredService<ClipService>().CancelAsync(id, null, "boss@test.local", CancellationToken.None);

        desk.WaitForAssertion(() => desk.Find("[data-testid=credits]").TextContent.Should().Be("CREDITS 20"), TimeSpan.FromSeconds(10));
        desk.Find("[data-testid=clip-job]").GetAttribute("data-status").Should().Be("cancelled");
        desk.Find("[data-testid=clip-error]").TextContent.Should().Be("Cancelled by an administrator (boss@test.local).");
        snackbars.WaitForAssertion(() => snackbars.Markup.Should().Contain("Cancelled by an administrator (boss@test.local)."));
    }

    [Fact]
    public async Task AdminCancel_PushesTheRefundedBalance_AndNamesTheAdmin_OnTheOwnersAcctBilling()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 6, "Cancel on ACCT");
        var id = await SeedPendingChargedClipAsync(user.UserId, vod.Id);
        foreach (var type in new[] { typeof(ClipDesk), typeof(Terminal.Web.Features.Billing.BillingService) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        var snackbars = Render<MudSnackbarProvider>();
        var billing = Render<Terminal.Web.Features.Billing.BillingPanel>();
        billing.WaitForAssertion(() => billing.Find("[data-field=credits]").TextContent.Should().Be("19"), TimeSpan.FromSeconds(10));

        await factory.Services.GetRequiredService<ClipService>().CancelAsync(id, null, "boss@test.local", CancellationToken.None);

        billing.WaitForAssertion(() => billing.Find("[data-field=credits]").TextContent.Should().Be("20"), TimeSpan.FromSeconds(10));
        billing.FindAll("[data-field=ledger-words]").Select(e => e.TextContent).Should().Contain("Refund: cancelled by an administrator (boss@test.local)");
        snackbars.WaitForAssertion(() => snackbars.Markup.Should().Contain("Cancelled by an administrator (boss@test.local). 1 credit refunded. Balance 20."));
    }

    [Fact]
    public async Task AdminCancelThroughTheApi_TellsTheOwnerWhichAdmin_AndOwnCancelSaysByYou()
    {
        var admin = await factory.AdminClientAsync();
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 6, "Cancel words");
        var byAdmin = await SeedPendingChargedClipAsync(user.UserId, vod.Id);
        var byOwner = await SeedPendingChargedClipAsync(user.UserId, vod.Id);

        (await admin.Http.PostAsync($"/api/admin/clips/{byAdmin}/cancel", null)).EnsureSuccessStatusCode();
        (await user.Http.PostAsync($"/api/clips/{byOwner}/cancel", null)).EnsureSuccessStatusCode();

        (await user.Http.GetFromJsonAsync<StatusDto>($"/api/clips/status/{byAdmin}"))!.Error.Should().Be($"Cancelled by an administrator ({admin.Email}).");
        (await user.Http.GetFromJsonAsync<StatusDto>($"/api/clips/status/{byOwner}"))!.Error.Should().Be("Cancelled by you.");
        var words = (await factory.Services.GetRequiredService<ICreditLedger>().GetEntriesAsync(user.UserId, 10))
            .Where(e => e.Reason == CreditReason.ClipRefund).Select(CreditWords.Describe);
        words.Should().BeEquivalentTo($"Refund: cancelled by an administrator ({admin.Email})", "Refund: cancelled by you");
    }

    [Fact]
    public async Task AClipsCharge_ReadsInWords_WithTheVodTitleAndRange()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 90, "Ledger words VOD");
        var clips = factory.Services.GetRequiredService<ClipService>();

        await clips.RequestAsync(user.UserId, vod.Id, 1.5, 65, ClipMode.Fast);

        var entries = await factory.Services.GetRequiredService<ICreditLedger>().GetEntriesAsync(user.UserId, 10);
        entries.Single(e => e.Reason == CreditReason.ClipCharge).Description.Should().Be("Clip 'Ledger words VOD' 0:01.500–1:05.000 — 2 credits");
    }

    private async Task<Guid> SeedPendingChargedClipAsync(string userId, Guid vodId)
    {
        var id = Guid.NewGuid();
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        db.ClipRequests.Add(new ClipRequest { Id = id, UserId = userId, VodId = vodId, StartSeconds = 1, EndSeconds = 3, Mode = ClipMode.Exact, Status = ClipStatus.Pending, Credits = 1, Charges = 1, CreatedAt = DateTime.UtcNow });
        db.CreditLedger.Add(new CreditEntry { UserId = userId, Amount = -1, Reason = CreditReason.ClipCharge, Reference = $"clip:{id:N}:1", At = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return id;
    }
}
