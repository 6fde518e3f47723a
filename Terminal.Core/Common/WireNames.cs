using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Terminal.Core;

/// <summary>
/// The wire names of an enum, read once from its <see cref="JsonStringEnumMemberNameAttribute"/>s — the
/// same names System.Text.Json writes — so that each enum spells its names in one place (the attribute)
/// and its <c>ToWire</c>/<c>TryParse</c> helpers, route values, CSV and topics can never drift from JSON.
/// </summary>
public static class WireNames
{
    /// <summary>The wire name of <paramref name="value"/> (the attribute's, else the member name in lowercase).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of <typeparamref name="T"/>.</exception>
    public static string ToWire<T>(T value)
        where T : struct, Enum =>
        Names<T>.ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    /// <summary>Parses a wire name in any case, ignoring surrounding white space; only the declared names are accepted.</summary>
    public static bool TryParse<T>(string? value, [NotNullWhen(true)] out T? result)
        where T : struct, Enum
    {
        if (value is not null && Names<T>.ByName.TryGetValue(value.Trim(), out var found))
        {
            result = found;
            return true;
        }

        result = null;
        return false;
    }

    /// <summary>Every wire name of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>()
        where T : struct, Enum => Names<T>.InOrder;

    private static class Names<T>
        where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ByValue;
        public static readonly FrozenDictionary<string, T> ByName;
        public static readonly IReadOnlyList<string> InOrder;

        static Names()
        {
            var pairs = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (Value: (T)f.GetValue(null)!, Name: f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name.ToLowerInvariant()))
                .ToArray();
            ByValue = pairs.ToFrozenDictionary(p => p.Value, p => p.Name);
            ByName = pairs.ToFrozenDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
            InOrder = pairs.Select(p => p.Name).ToArray();
        }
    }
}
