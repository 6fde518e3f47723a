using Bunit;
using MudBlazor.Services;

namespace Terminal.Tests.Infrastructure;

/// <summary>bUnit context with MudBlazor services and loose JS interop (STACK-NOTES: async-disposable services).</summary>
public abstract class BunitTestBase : BunitContext, IAsyncLifetime
{
    protected BunitTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
