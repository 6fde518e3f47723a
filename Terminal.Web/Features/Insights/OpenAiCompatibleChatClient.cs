using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Terminal.Web.Features.Insights;

/// <summary>
/// A small <see cref="IChatClient"/> speaking OpenAI's <c>POST {endpoint}/v1/chat/completions</c>
/// (non-streaming): messages as <c>{role, content}</c>, the first choice's <c>message.content</c> back.
/// </summary>
public sealed class OpenAiCompatibleChatClient(HttpClient http, Uri endpoint, string model, Func<CancellationToken, Task<string?>> apiKey) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = new CompletionRequest(
            options?.ModelId ?? model,
            messages.Select(m => new WireMessage(m.Role.Value, m.Text)).ToList(),
            options?.Temperature);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "chat/completions")) { Content = JsonContent.Create(body, options: Wire) };
        if (await apiKey(cancellationToken) is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"chat/completions answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var completion = await response.Content.ReadFromJsonAsync<CompletionResponse>(Wire, cancellationToken)
            ?? throw new JsonException("Empty chat/completions body.");
        var content = completion.Choices?.FirstOrDefault()?.Message?.Content ?? throw new JsonException("chat/completions had no choices[0].message.content.");
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, content)) { ModelId = completion.Model };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary><c>https://host/</c> and <c>https://host/v1</c> both become <c>https://host/v1/</c>.</summary>
    public static Uri BaseOf(string endpoint)
    {
        var trimmed = endpoint.TrimEnd('/');
        return new Uri(trimmed.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? trimmed + "/" : trimmed + "/v1/");
    }

    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private sealed record CompletionRequest(string Model, List<WireMessage> Messages, float? Temperature);

    private sealed record WireMessage(string Role, string Content);

    private sealed record CompletionResponse(string? Model, List<Choice>? Choices);

    private sealed record Choice(WireMessage? Message);
}
