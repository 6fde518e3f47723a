using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Secrets;
using Terminal.Data;
using Terminal.Data.Secrets;

namespace Terminal.Tests.Data.Secrets;

/// <summary>The Key Vault store through the real Azure SDK, over a fake transport that speaks Key Vault's
/// REST format (challenge-based auth, PUT/GET/DELETE /secrets/{name}).</summary>
public sealed class KeyVaultSecretStoreTests
{
    private readonly FakeKeyVault vault = new();

    private KeyVaultSecretStore Store() => new(new SecretClient(new Uri("https://clip-terminal-test.vault.azure.net/"), new FakeCredential(), new SecretClientOptions
    {
#pragma warning disable CA2000 // the HttpClient is owned by the transport of the store under test, which lives as long as the test
        Transport = new HttpClientTransport(new HttpClient(vault)),
#pragma warning restore CA2000
        DisableChallengeResourceVerification = true,
        Retry = { MaxRetries = 0 },
    }));

    [Fact]
    public async Task SetThenGet_RoundTripsThroughKeyVault_WithBearerAfterChallenge()
    {
        var store = Store();

        var reference = await store.SetAsync("client-secret-value");
        var value = await store.GetAsync(reference);

        value.Should().Be("client-secret-value");
        SecretReferences.IsValid(reference).Should().BeTrue();
        vault.Requests.Should().Contain(r => r.Method == "PUT" && r.Path == $"/secrets/{reference}" && r.Authorization == "Bearer fake-kv-token");
        vault.Requests.Should().Contain(r => r.Authorization == null, "Key Vault's challenge comes first");
    }

    [Fact]
    public async Task Set_WithExistingReference_ReplacesTheValue()
    {
        var store = Store();
        var reference = await store.SetAsync("v1");

        (await store.SetAsync("v2", reference)).Should().Be(reference);

        (await store.GetAsync(reference)).Should().Be("v2");
    }

    [Fact]
    public async Task Get_Missing_ReturnsNull_AndDelete_RemovesTheSecret()
    {
        var store = Store();
        (await store.GetAsync("ct-missing")).Should().BeNull();

        var reference = await store.SetAsync("to-delete");
        await store.DeleteAsync(reference);

        (await store.GetAsync(reference)).Should().BeNull();
        vault.Requests.Should().Contain(r => r.Method == "DELETE" && r.Path == $"/secrets/{reference}");
    }

    [Fact]
    public void Registration_WithKeyVaultUri_ChoosesKeyVault_ElseDataProtection()
    {
        static Type StoreType(string? uri)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Terminal:KeyVault:Uri"] = uri }).Build();
            var services = new ServiceCollection();
            services.AddTerminalSecrets(configuration);
            return services.Single(d => d.ServiceType == typeof(ISecretStore)).ImplementationType!;
        }

        StoreType("https://clip-terminal.vault.azure.net/").Should().Be<KeyVaultSecretStore>();
        StoreType("").Should().Be<DataProtectionSecretStore>();
    }

    private sealed class FakeCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("fake-kv-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private sealed record Seen(string Method, string Path, string? Authorization);

    /// <summary>Key Vault's secrets REST API (api-version 7.x), in memory.</summary>
    private sealed class FakeKeyVault : HttpMessageHandler
    {
        private readonly Dictionary<string, (string Value, string Version)> secrets = new();

        public List<Seen> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath.TrimEnd('/');
            var authorization = request.Headers.Authorization?.ToString();
            lock (Requests)
            {
                Requests.Add(new Seen(request.Method.Method, path, authorization));
            }

            if (authorization is null)
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized)
                {
                    Content = new StringContent("""{"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer or PoP token."}}""", Encoding.UTF8, "application/json"),
                };
                challenge.Headers.TryAddWithoutValidation("WWW-Authenticate",
                    "Bearer authorization=\"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47\", resource=\"https://vault.azure.net\"");
                return challenge;
            }

            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length < 2 || segments[0] != "secrets")
            {
                return Error(HttpStatusCode.BadRequest, "BadParameter", "Unknown path.");
            }

            var name = segments[1];
            var baseId = $"https://clip-terminal-test.vault.azure.net/secrets/{name}";
            if (request.Method == HttpMethod.Put)
            {
                var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
                var version = Guid.NewGuid().ToString("N");
                secrets[name] = (body["value"]!.GetValue<string>(), version);
                return Bundle(baseId, secrets[name], body["contentType"]?.GetValue<string>());
            }

            if (request.Method == HttpMethod.Get)
            {
                return secrets.TryGetValue(name, out var secret)
                    ? Bundle(baseId, secret, "text/plain")
                    : Error(HttpStatusCode.NotFound, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
            }

            if (request.Method == HttpMethod.Delete)
            {
                if (!secrets.Remove(name, out var removed))
                {
                    return Error(HttpStatusCode.NotFound, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
                }

                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                return Json(new
                {
                    recoveryId = $"https://clip-terminal-test.vault.azure.net/deletedsecrets/{name}",
                    deletedDate = now,
                    scheduledPurgeDate = now + 7776000,
                    id = $"{baseId}/{removed.Version}",
                    attributes = new { enabled = true, created = now, updated = now, recoveryLevel = "Recoverable+Purgeable", recoverableDays = 90 },
                });
            }

            return Error(HttpStatusCode.MethodNotAllowed, "BadParameter", "Method not allowed.");
        }

        private static HttpResponseMessage Bundle(string baseId, (string Value, string Version) secret, string? contentType)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return Json(new
            {
                value = secret.Value,
                contentType,
                id = $"{baseId}/{secret.Version}",
                attributes = new { enabled = true, created = now, updated = now, recoveryLevel = "Recoverable+Purgeable", recoverableDays = 90 },
                tags = new { app = "clip-terminal" },
            });
        }

        private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) =>
            Json(new { error = new { code, message } }, status);

        private static HttpResponseMessage Json(object body, HttpStatusCode status = HttpStatusCode.OK) =>
            new(status) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
    }
}
