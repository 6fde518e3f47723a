using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Accounts;
using Terminal.Core.Common;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Admin;

/// <summary>ADMIN grants and revokes Admin for other users (SPEC §4), never the last admin nor itself.</summary>
public sealed class AdminRoleApiTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task Admin_GrantsAndRevokesAdmin_ForAnotherUser()
    {
        var admin = await factory.AdminClientAsync();
        var other = await factory.CreateUserClientAsync();

        var granted = await admin.Http.PostAsync($"/api/admin/users/{other.UserId}/admin", null);
        granted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await RolesOfAsync(other)).Should().Contain("Admin");

        var revoked = await admin.Http.DeleteAsync($"/api/admin/users/{other.UserId}/admin");
        revoked.StatusCode.Should().Be(HttpStatusCode.OK);
        (await RolesOfAsync(other)).Should().BeEmpty();
    }

    [Fact]
    public async Task Admin_CannotRevokeThemselves()
    {
        var admin = await factory.AdminClientAsync();
        var response = await admin.Http.DeleteAsync($"/api/admin/users/{admin.UserId}/admin");
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "cannot_revoke_self");
    }

    [Fact]
    public async Task RevokingTheLastAdmin_IsRefused()
    {
        using var lone = new TerminalWebFactory();
        var only = await lone.AdminClientAsync();
        await using var scope = lone.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<IAdminRoles>();

        var revoke = () => roles.RevokeAsync(only.UserId, actingUserId: "another-admin");

        (await revoke.Should().ThrowAsync<TerminalException>()).Which.Code.Should().Be("last_admin");
    }

    [Fact]
    public async Task GrantForAnUnknownUser_Returns404()
    {
        var admin = await factory.AdminClientAsync();
        var response = await admin.Http.PostAsync("/api/admin/users/no-such-user/admin", null);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "account_not_found");
    }

    [Fact]
    public async Task NonAdmin_CannotGrant()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsync($"/api/admin/users/{user.UserId}/admin", null);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Forbidden);
    }

    private async Task<string[]> RolesOfAsync(AuthenticatedClient user)
    {
        var client = factory.CreateApiClient();
        var token = await TerminalWebFactory.LoginAsync(client, user.Email, user.Password);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return (await client.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Roles;
    }
}
