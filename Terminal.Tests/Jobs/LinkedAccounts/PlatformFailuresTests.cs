using System.Net;
using System.Text.Json;
using Terminal.Jobs.LinkedAccounts;

namespace Terminal.Tests.Jobs.LinkedAccounts;

/// <summary>The one transient-failure rule every platform call uses.</summary>
public sealed class PlatformFailuresTests
{
    public static TheoryData<Exception> TransientExceptions => new()
    {
        new HttpRequestException("connection refused"),
        new TimeoutException(),
        new TaskCanceledException("attempt timed out"),
        new Polly.Timeout.TimeoutRejectedException(),
        new Polly.CircuitBreaker.BrokenCircuitException(),
    };

    public static TheoryData<Exception> AnswerExceptions => new()
    {
        new JsonException("bad body"),
        new ReauthRequiredException("revoked"),
        new InvalidOperationException(),
    };

    [Theory]
    [MemberData(nameof(TransientExceptions))]
    public void CallFailures_AreTransient(Exception exception) => PlatformFailures.IsTransient(exception).Should().BeTrue();

    [Theory]
    [MemberData(nameof(AnswerExceptions))]
    public void AnswersAndBugs_AreNotTransient(Exception exception) => PlatformFailures.IsTransient(exception).Should().BeFalse();

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.OK, false)]
    public void StatusCodes_SayLaterOnlyFor408_429And5xx(HttpStatusCode status, bool transient) =>
        PlatformFailures.IsTransient(status).Should().Be(transient);
}
