using System.Text.Json.Serialization;

namespace Terminal.Core.LinkedAccounts;

/// <summary>Status of a platform's developer credentials and of the linked account (SPEC §4), written
/// snake_case on the wire: <c>pending_validation</c>, <c>valid</c>, <c>invalid</c>, <c>connected</c>,
/// <c>reauth_required</c>, <c>disconnected</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LinkStatus>))]
public enum LinkStatus
{
    [JsonStringEnumMemberName("pending_validation")] PendingValidation = 0,
    [JsonStringEnumMemberName("valid")] Valid = 1,
    [JsonStringEnumMemberName("invalid")] Invalid = 2,
    [JsonStringEnumMemberName("connected")] Connected = 3,
    [JsonStringEnumMemberName("reauth_required")] ReauthRequired = 4,
    [JsonStringEnumMemberName("disconnected")] Disconnected = 5,
}

/// <summary>How an ingestion run ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IngestionStatus>))]
public enum IngestionStatus
{
    [JsonStringEnumMemberName("running")] Running = 0,
    [JsonStringEnumMemberName("succeeded")] Succeeded = 1,
    /// <summary>Some data was fetched and kept, then an error stopped the run.</summary>
    [JsonStringEnumMemberName("partial")] Partial = 2,
    [JsonStringEnumMemberName("failed")] Failed = 3,
}

public static class LinkStatusText
{
    public static string ToWire(this LinkStatus status) => WireNames.ToWire(status);

    public static string ToWire(this IngestionStatus status) => WireNames.ToWire(status);
}
