using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Terminal.Tests.Infrastructure;

/// <summary>bUnit context with MudBlazor services and loose JS interop (STACK-NOTES: async-disposable services).</summary>
public abstract class BunitTestBase : BunitContext, IAsyncLifetime
{
    protected BunitTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        // Links in components go through IPublicBaseUrl; unset, it follows the component's base URI.
#pragma warning disable CA2000 // the options monitor belongs to the singleton registered in the test's service container (no change sources: nothing to release)
        Services.AddSingleton<Terminal.Core.Common.IPublicBaseUrl>(new Terminal.Web.Features.Hosting.PublicBaseUrl(
            new Microsoft.Extensions.Options.OptionsMonitor<Terminal.Core.TerminalOptions>(
                new Microsoft.Extensions.Options.OptionsFactory<Terminal.Core.TerminalOptions>([], []), [], new Microsoft.Extensions.Options.OptionsCache<Terminal.Core.TerminalOptions>()),
            new Microsoft.AspNetCore.Http.HttpContextAccessor()));
#pragma warning restore CA2000
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
