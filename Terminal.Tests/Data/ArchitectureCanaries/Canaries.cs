using Microsoft.EntityFrameworkCore;
using Terminal.Data;

namespace Terminal.Tests.Data.ArchitectureCanaries;

// Offenders the architecture test must catch; never used at run time.

/// <summary>The context appears only as a local inside an async method body.</summary>
internal sealed class UsesTheContextInABody(IServiceProvider services)
{
    public async Task<int> CountAsync()
    {
        await using var db = (TerminalDbContext)services.GetService(typeof(TerminalDbContext))!;
        return await db.ApiKeys.CountAsync();
    }
}

/// <summary>The factory appears only inside a lambda.</summary>
internal sealed class UsesTheFactoryInALambda(IServiceProvider services)
{
    public Func<object?> Factory => () => services.GetService(typeof(IDbContextFactory<TerminalDbContext>));
}

/// <summary>A provider's derived context as a field.</summary>
internal sealed class UsesADerivedContextInAField
{
    private readonly SqliteTerminalDbContext? context = null;

    public bool HasContext => context is not null;
}

/// <summary>A Data store taken as its concrete class instead of its Core interface.</summary>
internal sealed class UsesAConcreteStore(Terminal.Data.Market.MarketStore store)
{
    public Task<int> LastClipAsync() => store.LastDemoClipIdAsync(CancellationToken.None);
}

/// <summary>Names only Data's allowed public surface (Identity's user type and the registration entry points).</summary>
internal sealed class UsesOnlyTheAllowedDataTypes
{
    public string? Email(Terminal.Data.Accounts.TerminalUser user) => user.Email;

    public string Directory(Microsoft.Extensions.Configuration.IConfiguration configuration) => Terminal.Data.DependencyInjection.DataDirectory(configuration);
}
