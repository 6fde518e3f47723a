using System.Security.Claims;
using Terminal.Core.Accounts;
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
        group.MapPost("/users/{id}/admin", GrantAdmin)
            .WithSummary("Grant the Admin role. 404 for an unknown account.");
        group.MapDelete("/users/{id}/admin", RevokeAdmin)
            .WithSummary("Revoke the Admin role. 409 for your own account or the last admin.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AdminJob>>> ListJobs(AdminJobsService jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.ListAsync(cancellationToken));

    private static async Task<Ok<JobActionResult>> Act(
        string group, string key, string action, Func<string, string, CancellationToken, Task<bool>> run, CancellationToken cancellationToken) =>
        await run(group, key, cancellationToken)
            ? TypedResults.Ok(new JobActionResult(group, key, action))
            : throw TerminalException.NotFound("job_not_found", $"No job {group}.{key}.");

    /// <summary>Every account as ADMIN lists it (the API and the ADMIN screen).</summary>
    public static async Task<IReadOnlyList<AdminUser>> QueryUsersAsync(IAccountDirectory accounts, CancellationToken cancellationToken) =>
        (await accounts.ListAsync(cancellationToken))
            .Select(u => new AdminUser(u.Id, u.Email, u.Plan, u.Credits, u.SubscriptionStatus, u.CreatedAt, u.IsAdmin))
            .ToList();

    private static async Task<Ok<IReadOnlyList<AdminUser>>> ListUsers(IAccountDirectory accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await QueryUsersAsync(accounts, cancellationToken));

    private static async Task<Ok<AdminUser>> SetPlan(string id, SetPlanRequest request, ClaimsPrincipal principal, BillingService billing, IAccountDirectory accounts, CancellationToken cancellationToken)
    {
        await billing.SetPlanAsync(id, request.Plan, principal.Identity?.Name, cancellationToken);
        var users = await QueryUsersAsync(accounts, cancellationToken);
        return TypedResults.Ok(users.First(u => u.Id == id));
    }

    private static async Task<Ok<AdminUser>> GrantAdmin(string id, IAdminRoles roles, IAccountDirectory accounts, CancellationToken cancellationToken)
    {
        await roles.GrantAsync(id, cancellationToken);
        return TypedResults.Ok((await QueryUsersAsync(accounts, cancellationToken)).First(u => u.Id == id));
    }

    private static async Task<Ok<AdminUser>> RevokeAdmin(
        string id, ClaimsPrincipal principal, IAdminRoles roles, IAccountDirectory accounts, CancellationToken cancellationToken)
    {
        await roles.RevokeAsync(id, principal.FindFirstValue(ClaimTypes.NameIdentifier)!, cancellationToken);
        return TypedResults.Ok((await QueryUsersAsync(accounts, cancellationToken)).First(u => u.Id == id));
    }
}
