using System.Reflection;
using Microsoft.EntityFrameworkCore;
using NetArchTest.Rules;
using Terminal.Data;
using Terminal.Tests.Data.ArchitectureCanaries;

namespace Terminal.Tests.Data;

/// <summary>
/// Data access lives in Terminal.Data: Terminal.Web and Terminal.Jobs reach the database through Core
/// interfaces, never through <see cref="TerminalDbContext"/> (or a provider's context derived from it) or
/// <see cref="IDbContextFactory{TContext}"/>. NetArchTest reads the compiled IL, so every type counts —
/// razor components, compiler-generated async state machines and lambdas included — and a use inside a
/// method body is found as well as one in a signature. Beyond the context, Web and Jobs name no
/// Terminal.Data type at all but <see cref="AllowedDataTypes"/>: a store or query is taken as its Core interface.
/// </summary>
public sealed class DataAccessArchitectureTests
{
    public static TheoryData<string> GuardedAssemblies => new() { "Terminal.Web", "Terminal.Jobs" };

    [Theory]
    [MemberData(nameof(GuardedAssemblies))]
    public void Assembly_DoesNotUseTheDbContextOrItsFactory(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);

        var failing = Types.InAssembly(assembly).Should().NotHaveDependencyOnAny(DataAccessTypeNames).GetResult().FailingTypeNames ?? [];

        // Joined: FluentAssertions names only the first item of a collection that should be empty.
        string.Join(", ", failing).Should().BeEmpty("data access belongs in Terminal.Data behind a Core interface");
    }

    /// <summary>
    /// The only Terminal.Data types Web and Jobs may name, each with why it is Data's public surface rather
    /// than a store or query that belongs behind a Core interface.
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, string> AllowedDataTypes = new Dictionary<Type, string>
    {
        [typeof(Terminal.Data.DependencyInjection)] =
            "the composition root's entry points: AddTerminalData, AddTerminalIdentityStores, DataDirectory and InitialiseTerminalDatabaseAsync (the migrations runner)",
        [typeof(Terminal.Data.Accounts.TerminalUser)] =
            "ASP.NET Core Identity's user type: UserManager<TerminalUser>, SignInManager<TerminalUser> and the Identity endpoints are typed by it",
    };

    [Theory]
    [MemberData(nameof(GuardedAssemblies))]
    public void Assembly_UsesNoDataTypeButTheAllowedOnes(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);

        var failing = Types.InAssembly(assembly).Should().NotHaveDependencyOnAny(GuardedDataTypeNames).GetResult().FailingTypeNames ?? [];

        // Joined: FluentAssertions names only the first item of a collection that should be empty.
        string.Join(", ", failing).Should().BeEmpty(
            "Web and Jobs reach Data's stores and queries through Core interfaces (Terminal.Core/<Feature>/), registered by AddTerminalData; only {0} may be named",
            string.Join(", ", AllowedDataTypes.Keys.Select(t => t.Name)));
    }

    [Fact]
    public void TheDataTypeCheck_CoversEveryPublicDataTypeButTheAllowedOnes()
    {
        GuardedDataTypeNames.Should().Contain([typeof(Terminal.Data.Market.MarketStore).FullName!, typeof(Terminal.Data.LinkedAccounts.CrmQueries).FullName!,
            typeof(Terminal.Data.TerminalDatabase).FullName!, typeof(TerminalDbContext).FullName!]);
        GuardedDataTypeNames.Should().NotContain(AllowedDataTypes.Keys.Select(t => t.FullName!));
        GuardedDataTypeNames.Should().OnlyContain(name => !AllowedDataTypes.Keys.Any(allowed => allowed.FullName!.StartsWith(name, StringComparison.Ordinal)),
            "NetArchTest also reads a name as a namespace, so no guarded name may be the start of an allowed one");
    }

    [Fact]
    public void TheDataTypeCheck_FindsAConcreteStore_AndLetsTheAllowedTypesPass()
    {
        var failing = Types.InAssembly(typeof(DataAccessArchitectureTests).Assembly)
            .That().ResideInNamespace(typeof(UsesTheContextInABody).Namespace)
            .Should().NotHaveDependencyOnAny(GuardedDataTypeNames).GetResult().FailingTypeNames ?? [];

        failing.Should().Contain(typeof(UsesAConcreteStore).FullName!);
        failing.Should().NotContain(typeof(UsesOnlyTheAllowedDataTypes).FullName!);
    }

    [Fact]
    public void TheGuardedAssemblies_AreTheAppsAndHaveRazorComponents()
    {
        typeof(Program).Assembly.GetName().Name.Should().Be("Terminal.Web");
        typeof(Terminal.Jobs.Clips.ClipService).Assembly.GetName().Name.Should().Be("Terminal.Jobs");
        Types.InAssembly(typeof(Program).Assembly).That().Inherit(typeof(Microsoft.AspNetCore.Components.ComponentBase)).GetTypes()
            .Should().NotBeEmpty("razor components are part of what is checked");
    }

    [Fact]
    public void Components_InjectWhatTheyNeed_NotTheServiceProvider()
    {
        var result = Types.InAssembly(typeof(Program).Assembly).That().Inherit(typeof(Microsoft.AspNetCore.Components.ComponentBase))
            .Should().NotHaveDependencyOn(typeof(IServiceProvider).FullName).GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty("a component names its dependencies with [Inject]/@inject (issue #10)");
    }

    [Fact]
    public void TheCheck_FindsEveryDerivedContext()
    {
        DataAccessTypeNames.Should().Contain([typeof(TerminalDbContext).FullName!, typeof(SqliteTerminalDbContext).FullName!, typeof(SqlServerTerminalDbContext).FullName!]);
    }

    [Theory]
    [InlineData(typeof(UsesTheContextInABody))]
    [InlineData(typeof(UsesTheFactoryInALambda))]
    [InlineData(typeof(UsesADerivedContextInAField))]
    public void TheCheck_FindsAUseAnywhereInAType(Type canary)
    {
        var failing = Types.InAssembly(typeof(DataAccessArchitectureTests).Assembly)
            .That().ResideInNamespace(typeof(UsesTheContextInABody).Namespace)
            .Should().NotHaveDependencyOnAny(DataAccessTypeNames).GetResult().FailingTypeNames ?? [];

        failing.Should().Contain(canary.FullName!);
    }

    /// <summary>Full names (as NetArchTest spells them) of every public Terminal.Data type but <see cref="AllowedDataTypes"/>.</summary>
    private static string[] GuardedDataTypeNames =>
        typeof(TerminalDbContext).Assembly.GetExportedTypes()
            .Where(t => !AllowedDataTypes.ContainsKey(t))
            .Select(t => t.FullName!.Replace('+', '/'))
            .ToArray();

    /// <summary>Full names of <see cref="IDbContextFactory{TContext}"/> and of every context type Terminal.Data defines.</summary>
    private static string[] DataAccessTypeNames =>
        typeof(TerminalDbContext).Assembly.GetTypes()
            .Where(t => typeof(TerminalDbContext).IsAssignableFrom(t))
            .Select(t => t.FullName!)
            .Append(typeof(IDbContextFactory<>).FullName!)
            .ToArray();
}
