using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Alerts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Terminal.Tests.Web.Features.Alerts;

public sealed class WebhookTests(AlertsFactory factory) : IClassFixture<AlertsFactory>
{
    public sealed record WebhookDto(long Id, string Url, bool Enabled, int ConsecutiveFailures, DateTime CreatedAt, DateTime? DisabledAt, string? Secret);

    public sealed record DeliveryDto(long Id, long FiringId, int Attempt, int? ResponseCode, string? Error, DateTime At);

    private static int _nextId = 7000;

    [Fact]
    public async Task AFiring_IsPostedSigned_TheReceiverVerifiesIt_AndAWrongSecretCanTell()
    {
        factory.Receiver.Given(Request.Create().WithPath("/hooks/ok").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        var owner = await factory.CreateUserClientAsync();
        var hook = await CreateHookAsync(owner, "/hooks/ok");
        var id = Interlocked.Increment(ref _nextId);
        factory.Market.Set(EntityKind.Creator, id, heat: 99);
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{id}", threshold = 90, channels = new[] { "webhook" } })).EnsureSuccessStatusCode();

        await factory.Monitor.EvaluateAsync(DateTime.UtcNow);
        await Wait.UntilAsync(() => factory.Receiver.LogEntries.Any(e => e.RequestMessage.Path == "/hooks/ok"), TimeSpan.FromSeconds(30), "the webhook is delivered");

        var request = factory.Receiver.LogEntries.Single(e => e.RequestMessage.Path == "/hooks/ok").RequestMessage;
        var body = request.Body!;
        var signature = request.Headers![WebhookSignature.Header].Single();
        signature.Should().MatchRegex("^t=[0-9]+,v1=[0-9a-f]{64}$");
        body.Should().Contain($"\"entity\":\"creator:{id}\"").And.Contain("\"kind\":\"heat_cross\"");
        WebhookSignature.Verify(hook.Secret!, signature, body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).Should().BeTrue("the receiver holds the endpoint's secret");
        WebhookSignature.Verify("whsec_wrong", signature, body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).Should().BeFalse("a receiver with the wrong secret sees a mismatch");
        WebhookSignature.Verify(hook.Secret!, signature, body.Replace("heat_cross", "heat_crosx"), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).Should().BeFalse("a changed body does not verify");

        await Wait.UntilAsync(async () => (await Deliveries(owner, hook.Id)).Length == 1, TimeSpan.FromSeconds(30), "the delivery is logged");
        (await Deliveries(owner, hook.Id)).Single().Should().Match<DeliveryDto>(d => d.Attempt == 1 && d.ResponseCode == 204);
        (await Deliveries(await factory.CreateUserClientAsync(), hook.Id)).Should().BeEmpty("another user does not see the log");
    }

    [Fact]
    public async Task AFailingReceiver_IsRetriedWithBackoff_ThenDisabled()
    {
        factory.Receiver.Given(Request.Create().WithPath("/hooks/down").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
        var owner = await factory.CreateUserClientAsync();
        var hook = await CreateHookAsync(owner, "/hooks/down");
        var id = Interlocked.Increment(ref _nextId);
        factory.Market.Set(EntityKind.Creator, id, heat: 99);
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{id}", threshold = 90, channels = new[] { "webhook" } })).EnsureSuccessStatusCode();

        await factory.Monitor.EvaluateAsync(DateTime.UtcNow);
        await Wait.UntilAsync(async () => (await Deliveries(owner, hook.Id)).Length == 3, TimeSpan.FromSeconds(30), "three attempts are logged");

        var deliveries = await Deliveries(owner, hook.Id);
        deliveries.Select(d => d.Attempt).Should().BeEquivalentTo([1, 2, 3]);
        deliveries.Should().OnlyContain(d => d.ResponseCode == 503);
        factory.Receiver.LogEntries.Count(e => e.RequestMessage.Path == "/hooks/down").Should().Be(3);
        var stored = (await owner.Http.GetFromJsonAsync<WebhookDto[]>("/api/alerts/webhooks"))!.Single();
        stored.Enabled.Should().BeFalse("3 consecutive failures disable it (Terminal:Alerts:DisableAfterFailures)");
        stored.DisabledAt.Should().NotBeNull();
        stored.Secret.Should().BeNull("the secret is shown only once");

        // Once the receiver is fixed, the owner (and only the owner) enables it again; its failure count starts over.
        var stranger = await factory.CreateUserClientAsync();
        await (await stranger.Http.PostAsync($"/api/alerts/webhooks/{hook.Id}/enable", null)).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "webhook_not_found");
        var enable = await owner.Http.PostAsync($"/api/alerts/webhooks/{hook.Id}/enable", null);
        enable.StatusCode.Should().Be(HttpStatusCode.OK);
        var enabled = (await enable.Content.ReadFromJsonAsync<WebhookDto>())!;
        enabled.Should().Match<WebhookDto>(w => w.Enabled && w.ConsecutiveFailures == 0 && w.DisabledAt == null && w.Secret == null);
        (await owner.Http.GetFromJsonAsync<WebhookDto[]>("/api/alerts/webhooks"))!.Single().Enabled.Should().BeTrue();
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://10.0.0.8/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("not a url")]
    public async Task PrivateOrOddUrls_AreRefused(string url)
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/alerts/webhooks", new { url });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_webhook_url");
    }

    [Fact]
    public async Task DeletingAnEndpoint_DeletesItsSigningSecret_AndOnlyTheOwnerCanDelete()
    {
        var owner = await factory.CreateUserClientAsync();
        var hook = await CreateHookAsync(owner, "/hooks/deleted");
        var reference = await factory.Services.GetRequiredService<IAlertStore>().WebhookSecretReferenceAsync(hook.Id);
        var secrets = factory.Services.GetRequiredService<Terminal.Core.Secrets.ISecretStore>();
        (await secrets.GetAsync(reference!)).Should().Be(hook.Secret, "the secret is kept in the secret store");

        var stranger = await factory.CreateUserClientAsync();
        await (await stranger.Http.DeleteAsync($"/api/alerts/webhooks/{hook.Id}")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "webhook_not_found");
        (await secrets.GetAsync(reference!)).Should().Be(hook.Secret, "another user's delete touches nothing");

        (await owner.Http.DeleteAsync($"/api/alerts/webhooks/{hook.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await secrets.GetAsync(reference!)).Should().BeNull("deleting the endpoint deletes its signing secret");
        (await owner.Http.GetFromJsonAsync<WebhookDto[]>("/api/alerts/webhooks"))!.Should().NotContain(w => w.Id == hook.Id);
    }

    [Fact]
    public async Task PastThePlansWebhookLimit_Returns409_WithTheErrorBody_ForThatUserOnly()
    {
        var owner = await factory.CreateUserClientAsync();
        for (var i = 0; i < 2; i++)
        {
            await CreateHookAsync(owner, $"/hooks/limit-{i}");
        }

        var third = await owner.Http.PostAsJsonAsync("/api/alerts/webhooks", new { url = factory.Receiver.Url + "/hooks/limit-2" });

        await third.ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "too_many_webhooks");
        (await owner.Http.GetFromJsonAsync<WebhookDto[]>("/api/alerts/webhooks"))!.Should().HaveCount(2, "a Free account holds 2 endpoints");
        var other = await factory.CreateUserClientAsync();
        await CreateHookAsync(other, "/hooks/limit-other");
    }

    private async Task<WebhookDto> CreateHookAsync(AuthenticatedClient owner, string path)
    {
        var response = await owner.Http.PostAsJsonAsync("/api/alerts/webhooks", new { url = factory.Receiver.Url + path });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var hook = (await response.Content.ReadFromJsonAsync<WebhookDto>())!;
        hook.Secret.Should().StartWith("whsec_");
        return hook;
    }

    private static async Task<DeliveryDto[]> Deliveries(AuthenticatedClient client, long id) =>
        (await client.Http.GetFromJsonAsync<DeliveryDto[]>($"/api/alerts/webhooks/{id}/deliveries"))!;
}
