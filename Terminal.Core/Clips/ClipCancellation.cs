namespace Terminal.Core.Clips;

/// <summary>
/// Who cancelled a clip, in the words its owner reads in the job row (bug 6 of issue #16): the
/// reason is stored on the request, so every screen and the API say the same thing.
/// </summary>
public static class ClipCancellation
{
    public const string ByOwner = "Cancelled by you.";

    /// <summary>The reason when an administrator cancelled someone's clip; <paramref name="adminEmail"/> names them when known.</summary>
    public static string ByAdministrator(string? adminEmail) =>
        string.IsNullOrWhiteSpace(adminEmail) ? "Cancelled by an administrator." : $"Cancelled by an administrator ({adminEmail}).";
}
