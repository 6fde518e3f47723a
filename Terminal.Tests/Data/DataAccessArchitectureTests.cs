using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Terminal.Data;

namespace Terminal.Tests.Data;

/// <summary>
/// Data access lives in Terminal.Data: code outside it reaches the database through Core interfaces,
/// never through <see cref="TerminalDbContext"/> or <see cref="IDbContextFactory{TContext}"/>.
/// Checked by reflection over constructor parameters, fields, properties and method signatures.
/// </summary>
public sealed class DataAccessArchitectureTests
{
    /// <summary>
    /// Feature namespaces already moved onto Data's stores. REVIEW: issue #10 part 3 moves the rest of
    /// Terminal.Web and Terminal.Jobs; when it is done this list becomes the two whole assemblies.
    /// </summary>
    public static TheoryData<string> MovedNamespaces => new()
    {
        "Terminal.Jobs.Clips",
        "Terminal.Jobs.MarketHistory",
        "Terminal.Web.Features.Health",
        "Terminal.Web.Features.Clips",
        "Terminal.Web.Features.Admin",
        "Terminal.Web.Features.Api",
    };

    [Theory]
    [MemberData(nameof(MovedNamespaces))]
    public void Namespace_DoesNotUseTheDbContextOrItsFactory(string ns)
    {
        var assembly = ns.StartsWith("Terminal.Web", StringComparison.Ordinal) ? typeof(Program).Assembly : typeof(Terminal.Jobs.Clips.ClipService).Assembly;
        var types = assembly.GetTypes().Where(t => t.Namespace == ns || (t.Namespace?.StartsWith(ns + ".", StringComparison.Ordinal) ?? false)).ToList();
        types.Should().NotBeEmpty();

        var offenders = types.SelectMany(t => DataAccessOf(t).Select(member => $"{t.FullName}.{member}")).ToList();

        offenders.Should().BeEmpty("data access belongs in Terminal.Data behind a Core interface");
    }

    [Fact]
    public void TheCheck_FindsADbContextFactoryDependency()
    {
        DataAccessOf(typeof(Terminal.Data.Market.MarketStore)).Should().NotBeEmpty("the check must see a primary-constructor dependency");
    }

    private static IEnumerable<string> DataAccessOf(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var ctor in type.GetConstructors(all))
        {
            foreach (var p in ctor.GetParameters().Where(p => IsDataAccess(p.ParameterType)))
            {
                yield return $"ctor({p.Name})";
            }
        }

        foreach (var f in type.GetFields(all).Where(f => IsDataAccess(f.FieldType)))
        {
            yield return f.Name;
        }

        foreach (var m in type.GetMethods(all))
        {
            if (IsDataAccess(m.ReturnType) || m.GetParameters().Any(p => IsDataAccess(p.ParameterType)))
            {
                yield return m.Name + "()";
            }
        }
    }

    private static bool IsDataAccess(Type type)
    {
        if (type.IsByRef || type.IsArray)
        {
            type = type.GetElementType()!;
        }

        if (typeof(TerminalDbContext).IsAssignableFrom(type))
        {
            return true;
        }

        if (type.IsGenericType)
        {
            if (type.GetGenericTypeDefinition() == typeof(IDbContextFactory<>))
            {
                return true;
            }

            return type.GetGenericArguments().Any(IsDataAccess);
        }

        return false;
    }
}
