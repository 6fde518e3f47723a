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
