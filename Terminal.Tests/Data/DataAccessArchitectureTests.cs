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
/// method body is found as well as one in a signature.
/// </summary>
public sealed class DataAccessArchitectureTests
{
    public static TheoryData<string> GuardedAssemblies => new() { "Terminal.Web", "Terminal.Jobs" };

    [Theory]
    [MemberData(nameof(GuardedAssemblies))]
    public void Assembly_DoesNotUseTheDbContextOrItsFactory(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);

        var result = Types.InAssembly(assembly).Should().NotHaveDependencyOnAny(DataAccessTypeNames).GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty("data access belongs in Terminal.Data behind a Core interface");
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

    /// <summary>Full names of <see cref="IDbContextFactory{TContext}"/> and of every context type Terminal.Data defines.</summary>
    private static string[] DataAccessTypeNames =>
        typeof(TerminalDbContext).Assembly.GetTypes()
            .Where(t => typeof(TerminalDbContext).IsAssignableFrom(t))
            .Select(t => t.FullName!)
            .Append(typeof(IDbContextFactory<>).FullName!)
            .ToArray();
}
