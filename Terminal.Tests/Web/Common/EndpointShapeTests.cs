using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Common;

/// <summary>
/// The endpoint shape of issue #10, checked on every minimal-API endpoint the running app maps (read from its
/// <see cref="EndpointDataSource"/>, whose endpoints carry their handler's <see cref="MethodInfo"/>): each handler
/// returns a typed result (<c>Ok&lt;T&gt;</c>, <c>Results&lt;…&gt;</c>…, so OpenAPI and readers see what it answers),
/// never <see cref="IResult"/> or a bare object; and reads the query string only through <c>[AsParameters]</c>
/// classes — a plain parameter of a simple type must be a route value.
/// </summary>
public sealed class EndpointShapeTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public void EveryHandler_ReturnsATypedResult()
    {
        var untyped = Handlers().Where(h => !IsTypedResult(h.Method.ReturnType)).Select(h => $"{h.Route}: {h.Method.ReturnType}").ToList();

        untyped.Should().BeEmpty("handlers return TypedResults / Results<…> (issue #10)");
    }

    [Fact]
    public void EveryHandler_TakesSimpleValuesOnlyFromTheRoute()
    {
        var byHand = Handlers()
            .SelectMany(h => h.Method.GetParameters()
                .Where(p => IsSimple(p.ParameterType) && p.GetCustomAttribute<AsParametersAttribute>() is null
                    && !h.RouteParameters.Contains(p.Name!, StringComparer.OrdinalIgnoreCase))
                .Select(p => $"{h.Route}: {p.Name}"))
            .ToList();

        byHand.Should().BeEmpty("query parameters are [AsParameters] classes parsed once through Core (issue #10)");
    }

    [Fact]
    public void TheWalk_SeesTheApp()
    {
        var routes = Handlers().Select(h => h.Route).ToList();

        routes.Should().HaveCountGreaterThan(60).And.Contain(["/api/analytics/trends", "/api/reports/{id:guid}/download", "/ext-api/v1/outliers", "/account/delete"]);
    }

    [Theory]
    [InlineData(typeof(Ok<string>), true)]
    [InlineData(typeof(Task<Results<Ok<string>, NotFound>>), true)]
    [InlineData(typeof(ValueTask<NoContent>), true)]
    [InlineData(typeof(Task<RedirectHttpResult>), true)]
    [InlineData(typeof(IResult), false)]
    [InlineData(typeof(Task<IResult>), false)]
    [InlineData(typeof(ValueTask<IResult>), false)]
    [InlineData(typeof(Task<string>), false)]
    [InlineData(typeof(Task), false)]
    [InlineData(typeof(object), false)]
    public void TheCheck_TellsTypedFromUntyped(Type returnType, bool typed) => IsTypedResult(returnType).Should().Be(typed);

    [Theory]
    [InlineData(typeof(string), true)]
    [InlineData(typeof(int?), true)]
    [InlineData(typeof(Guid), true)]
    [InlineData(typeof(DateTime?), true)]
    [InlineData(typeof(ClaimsPrincipal), false)]
    [InlineData(typeof(CancellationToken), false)]
    [InlineData(typeof(Terminal.Web.Features.Market.TrendQueryParameters), false)]
    public void TheCheck_TellsSimpleValues(Type type, bool simple) => IsSimple(type).Should().Be(simple);

    private sealed record Handler(string Route, MethodInfo Method, IReadOnlyList<string> RouteParameters);

    private List<Handler> Handlers() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Method: e.Metadata.GetMetadata<MethodInfo>()))
            .Where(x => x.Method?.DeclaringType?.Assembly == typeof(Program).Assembly)
            .Select(x => new Handler(x.Endpoint.RoutePattern.RawText ?? "", x.Method!, x.Endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList()))
            .ToList();

    private static bool IsTypedResult(Type type)
    {
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        return typeof(IResult).IsAssignableFrom(type) && !type.IsInterface && !type.IsAbstract;
    }

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan);
    }
}
