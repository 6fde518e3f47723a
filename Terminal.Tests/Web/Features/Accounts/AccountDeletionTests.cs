using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Clips;
using Terminal.Data;
using Terminal.Jobs.Media;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Clips;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Accounts;

/// <summary>ACCT → Profile: delete account with its data, confirmed by typing the e-mail (issue #16 settings).</summary>
public sealed class AccountDeletionTests(ClipsWebFactory factory) : IClassFixture<ClipsWebFactory>
{
    [Fact]
    public async Task DeleteForm_WithTheEmailTyped_RemovesTheAccountAndItsData_AndSignsOut()
    {
        var user = await factory.CreateUserClientAsync();
        (await user.Http.PostAsJsonAsync("/api/keys", new { name = "bot" })).EnsureSuccessStatusCode();
        var vod = await SeedDemoVodAsync(factory.Services, 6, "Mine to delete");
        var clipId = Guid.NewGuid();
        var clipFile = Path.Combine(factory.Services.GetRequiredService<MediaPaths>().ClipFolder, $"{clipId:N}.mp4");
        await File.WriteAllTextAsync(clipFile, "not really a clip");
        await using (var db = await Db())
        {
            (await db.Vods.SingleAsync(v => v.Id == vod.Id)).RegisteredByUserId = user.UserId;
            db.ClipRequests.Add(new ClipRequest { Id = clipId, UserId = user.UserId, VodId = vod.Id, StartSeconds = 0, EndSeconds = 2, Mode = ClipMode.Fast, Status = ClipStatus.Ready, Progress = 100, Credits = 1, Charges = 1, OutputFile = $"clips/{clipId:N}.mp4", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var browser = factory.CreateApiClient();
        await LoginForm.SignInAsync(browser, user.Email, user.Password);

        var wrong = await PostDeleteAsync(browser, "someone-else@test.local");
        wrong.Headers.Location!.OriginalString.Should().Be("/acct/profile?delete_error=confirm_mismatch");
        (await browser.GetStringAsync(wrong.Headers.Location.OriginalString)).Should().Contain("The e-mail did not match; nothing was deleted.");
        await using (var db = await Db())
        {
            (await db.Users.AnyAsync(u => u.Id == user.UserId)).Should().BeTrue();
        }

        var response = await PostDeleteAsync(browser, user.Email.ToUpperInvariant());

        response.Headers.Location!.OriginalString.Should().Be("/login");
        await using (var db = await Db())
        {
            (await db.Users.AnyAsync(u => u.Id == user.UserId)).Should().BeFalse();
            (await db.CreditLedger.AnyAsync(e => e.UserId == user.UserId)).Should().BeFalse();
            (await db.ClipRequests.AnyAsync(c => c.UserId == user.UserId)).Should().BeFalse();
            (await db.Vods.AnyAsync(v => v.Id == vod.Id)).Should().BeFalse();
            (await db.Set<Terminal.Core.Billing.ApiKey>().AnyAsync(k => k.UserId == user.UserId)).Should().BeFalse();
        }

        File.Exists(clipFile).Should().BeFalse();
        (await factory.CreateApiClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheLastAdmin_CannotDeleteThemselves()
    {
        var admin = await factory.AdminClientAsync();

        await (await admin.Http.DeleteAsync($"/api/auth/user?confirmEmail={Uri.EscapeDataString(admin.Email)}"))
            .ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "last_admin");
        (await admin.Http.GetAsync("/api/auth/user")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private Task<TerminalDbContext> Db() => factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();

    private static async Task<HttpResponseMessage> PostDeleteAsync(HttpClient browser, string confirmEmail)
    {
        var page = await browser.GetStringAsync("/acct/profile");
        page.Should().Contain("action=\"/account/delete\"");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = LoginForm.TokenOfForm(page, "/account/delete"),
            ["confirmEmail"] = confirmEmail,
        });
        return await browser.PostAsync("/account/delete", content);
    }
}
