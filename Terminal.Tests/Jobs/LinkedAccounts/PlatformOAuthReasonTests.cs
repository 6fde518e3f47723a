using Microsoft.Extensions.Options;
using Terminal.Jobs.LinkedAccounts;

namespace Terminal.Tests.Jobs.LinkedAccounts;

/// <summary>The reason a user reads when a platform could not be asked names the failure in words, never a .NET type.</summary>
public sealed class PlatformOAuthReasonTests
{
    private sealed class Throwing(Exception exception) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(exception);
    }

    private sealed class Factory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class Monitor : IOptionsMonitor<PlatformsOptions>
    {
        public PlatformsOptions CurrentValue { get; } = new();

        public PlatformsOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<PlatformsOptions, string?> listener) => null;
    }

    [Theory]
    [InlineData("network", "tiktok could not be reached; validation will be retried.")]
    [InlineData("timeout", "tiktok timed out; validation will be retried.")]
    public async Task UnreachablePlatform_ReasonIsWords_WithoutAnExceptionName(string failure, string expected)
    {
        Exception exception = failure == "network" ? new HttpRequestException("Connection refused (127.0.0.1:9)") : new TaskCanceledException();
        using var throwing = new Throwing(exception);
        var oauth = new TikTokOAuth(new Factory(throwing), new Monitor(), TimeProvider.System);

        var (verdict, reason) = await oauth.ValidateAsync(new PlatformApp("client", "secret"), "http://localhost/api/auth/callback/tiktok", CancellationToken.None);

        verdict.Should().Be(CredentialVerdict.Unknown);
        reason.Should().Be(expected).And.NotContain("Exception");
    }
}
