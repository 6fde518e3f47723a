using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace Terminal.Web.Common;

internal static class ConfigurationExtensions
{
    /// <summary>
    /// Loads the repository-root <c>appsettings.json</c> (copied next to the binaries as
    /// <c>appsettings.root.json</c>) beneath every other source, so environment variables such as
    /// <c>Terminal__DataDirectory</c> and command-line arguments still override it.
    /// </summary>
    public static IConfigurationBuilder AddRepositoryAppSettings(this IConfigurationManager configuration)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.root.json");
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        var sources = configuration.Sources;
        var firstJson = sources.Select((s, i) => (s, i)).FirstOrDefault(p => p.s is JsonConfigurationSource or EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        sources.Insert(firstJson.s is null ? sources.Count : firstJson.i, source);
        return configuration;
    }
}
