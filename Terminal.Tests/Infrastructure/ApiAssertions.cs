using System.Net;
using System.Text.Json;

namespace Terminal.Tests.Infrastructure;

public static class ApiAssertions
{
    /// <summary>Asserts the status and the SPEC §4 error body, and returns the error code.</summary>
    public static async Task<string> ShouldBeApiErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, "body was: {0}", text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        using var doc = JsonDocument.Parse(text);
        var error = doc.RootElement.GetProperty("error");
        var actualCode = error.GetProperty("code").GetString();
        actualCode.Should().NotBeNullOrWhiteSpace();
        error.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
        if (code is not null)
        {
            actualCode.Should().Be(code);
        }

        return actualCode!;
    }
}
