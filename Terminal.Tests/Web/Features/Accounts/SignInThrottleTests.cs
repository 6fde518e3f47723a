using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Data.Accounts;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Accounts;

/// <summary>
/// The app with SPEC §8's real limits. TestServer has no peer address, so a startup filter plays the
/// network: the connection's address is <c>X-Test-Peer</c> (127.0.0.1 when absent, i.e. a local proxy).
/// </summary>
public sealed class ThrottleFactory : TerminalWebFactory
{
    public ThrottleFactory()
    {
        Settings.Remove("Terminal:Throttling:RegistrationsPerAddress");
        Settings.Remove("Terminal:Throttling:FailedLoginsPerAddress");
        ServiceOverrides.Add(s => s.AddSingleton<IStartupFilter, PeerFromTestHeader>());
        ServiceOverrides.Add(s => s.AddSingleton<IPasswordHasher<TerminalUser>>(Hasher));
    }

    public CountingHasher Hasher { get; } = new();

    public sealed class CountingHasher : PasswordHasher<TerminalUser>
    {
        private int verifications;

        public int Verifications => verifications;

        public override PasswordVerificationResult VerifyHashedPassword(TerminalUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private sealed class PeerFromTestHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                var peer = context.Request.Headers["X-Test-Peer"].ToString();
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer.Length > 0 ? peer : "127.0.0.1");
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>SPEC §8: password guessing and registration are throttled per address and account, without locking the owner out.</summary>
public sealed class SignInThrottleTests(ThrottleFactory factory) : IClassFixture<ThrottleFactory>
{
    private const string Password = "Passw0rd!x";

    [Fact]
    public async Task TenFailedLogins_FromOneAddress_ThenEvenTheRightPassword_Gets429WithRetryAfter()
    {
        var peer = NewPeer();
        var user = await RegisterAsync(NewPeer());
        for (var i = 0; i < 10; i++)
        {
            var email = $"guess-{i}-{Guid.NewGuid():N}@test.local"; // different accounts: the address limit alone
            (await LoginAsync(peer, email, "wrong-password1")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var response = await LoginAsync(peer, user, Password);

        await response.ShouldBeApiErrorAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        retryAfter.Should().BeInRange(1, 15 * 60);
    }

    [Fact]
    public async Task LoginForm_FromAThrottledAddress_Answers429WithRetryAfter_AndAMessage()
    {
        var peer = NewPeer();
        var user = await RegisterAsync(NewPeer());
        for (var i = 0; i < 10; i++)
        {
            (await LoginAsync(peer, $"form-{i}-{Guid.NewGuid():N}@test.local", "wrong-password1")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var client = factory.CreateApiClient();
        client.DefaultRequestHeaders.Add("X-Test-Peer", peer);
        using var response = await LoginForm.PostAsync(client, user, Password);

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.Contains("Retry-After").Should().BeTrue();
        (await response.Content.ReadAsStringAsync()).Should().Contain("Too many failed log-ins");
    }

    [Fact]
    public async Task GuessingFromManyAddresses_NeverLocksTheOwnerOut_FromTheirOwnAddress()
    {
        var owner = await RegisterAsync(NewPeer());
        // A crowd of addresses fails against the owner's account — far more than Identity's lockout (10)
        // and than the per-account cap (50) — until each of them is refused.
        var refusedGuesses = 0;
        for (var a = 0; a < 15; a++)
        {
            var attacker = NewPeer();
            for (var i = 0; i < 6; i++)
            {
                var guess = await LoginAsync(attacker, owner, $"wrong-password{i}");
                guess.StatusCode.Should().BeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);
                refusedGuesses += guess.StatusCode == HttpStatusCode.Unauthorized ? 1 : 0;
            }

            (await LoginAsync(attacker, owner, Password)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "a guessing address stays throttled");
        }

        refusedGuesses.Should().BeGreaterThanOrEqualTo(50);

        var response = await LoginAsync(NewPeer(), owner, Password);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ForwardedFor_FromAnUnknownPeer_IsIgnored()
    {
        var peer = NewPeer(); // not loopback, not a configured proxy
        for (var i = 0; i < 10; i++)
        {
            (await LoginAsync(peer, $"x{i}@test.local", "wrong-password1", forwardedFor: NewPeer())).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var response = await LoginAsync(peer, "y@test.local", "wrong-password1", forwardedFor: NewPeer());

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task ForwardedFor_FromALoopbackProxy_IsTheClientAddress()
    {
        for (var i = 0; i < 12; i++)
        {
            // The local proxy forwards twelve different clients: none has reached its limit.
            (await LoginAsync(peer: "127.0.0.1", $"z{i}@test.local", "wrong-password1", forwardedFor: NewPeer()))
                .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task Registration_IsThrottledPerAddress_AfterAtLeastTen()
    {
        var peer = NewPeer();
        for (var i = 0; i < 20; i++)
        {
            (await RegisterResponseAsync(peer, $"r{i}-{Guid.NewGuid():N}@test.local")).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var refused = await RegisterResponseAsync(peer, $"r-last-{Guid.NewGuid():N}@test.local");
        var elsewhere = await RegisterResponseAsync(NewPeer(), $"r-other-{Guid.NewGuid():N}@test.local");

        await refused.ShouldBeApiErrorAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        refused.Headers.Contains("Retry-After").Should().BeTrue();
        elsewhere.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task UnknownEmail_StillRunsThePasswordHasher_SoItTakesAsLongAsAKnownOne()
    {
        var before = factory.Hasher.Verifications;

        var response = await LoginAsync(NewPeer(), $"nobody-{Guid.NewGuid():N}@test.local", "wrong-password1");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        factory.Hasher.Verifications.Should().Be(before + 1);
    }

    private static int peers;

    /// <summary>A fresh public address (TEST-NET-3 and beyond), never one another test used.</summary>
    private static string NewPeer()
    {
        var n = Interlocked.Increment(ref peers);
        return $"203.{n / 62500 % 256}.{n / 250 % 250}.{n % 250 + 1}";
    }

    private async Task<string> RegisterAsync(string peer)
    {
        var email = $"owner-{Guid.NewGuid():N}@test.local";
        (await RegisterResponseAsync(peer, email)).StatusCode.Should().Be(HttpStatusCode.Created);
        return email;
    }

    private Task<HttpResponseMessage> RegisterResponseAsync(string peer, string email) =>
        Send(peer, null, "/api/auth/register", new { email, password = Password });

    private Task<HttpResponseMessage> LoginAsync(string peer, string email, string password, string? forwardedFor = null) =>
        Send(peer, forwardedFor, "/api/auth/login", new { email, password });

    private async Task<HttpResponseMessage> Send(string peer, string? forwardedFor, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Test-Peer", peer);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await factory.CreateApiClient().SendAsync(request);
    }
}
