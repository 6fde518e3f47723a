using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Creators;

namespace Terminal.Tests.Web.Features.Creators;

public sealed class CreatorPageTests : BunitTestBase
{
    private static readonly CreatorSummary Quinn = new(7, "quinncast", "Quinn Cast", Platform.YouTube, 3, "Podcast clips", IsDemo: true);
    private readonly FakeMarketQueries _queries = new();

    public CreatorPageTests() => Services.AddSingleton<IMarketQueries>(_queries);

    [Fact]
    public void KnownCreator_ShowsKpis_VodsLinkingToTheClipDesk_AndTopLists()
    {
        _queries.Creators.Add(Quinn);
        var vod = Guid.NewGuid();
        _queries.Vods.Add(new VodListItem(vod, "Ep. 243: money, fame and fear", new DateTime(2026, 11, 18, 21, 0, 0, DateTimeKind.Utc), 3372, null, true, VodStatus.Ready, null));

        var page = Render<CreatorPage>(p => p.Add(c => c.Handle, "QuinnCast"));

        page.WaitForAssertion(() => page.Find("[data-kpis]").TextContent.Should().Contain("2.96M").And.Contain("+25.0%"));
        page.Find("[data-panel=vods] a").GetAttribute("href").Should().Be($"/clip/{vod}");
        page.Find("[data-panel=vods]").TextContent.Should().Contain("TRENDING").And.Contain("56:12");
        page.Find("[data-panel=top-clippers]").TextContent.Should().Contain("fitness.bestof");
        page.Find(".demo-badge").TextContent.Should().Be("DEMO");
    }

    [Fact]
    public void UnknownHandle_ShowsNotFound_WithSuggestions()
    {
        _queries.Creators.Add(Quinn);
        var page = Render<CreatorPage>(p => p.Add(c => c.Handle, "quinn"));
        page.WaitForAssertion(() => page.Find("[data-not-found]").TextContent.Should().Contain("No monitored creator is called quinn"));
        page.Find("[data-not-found] a[href='/crtr/quinncast']").Should().NotBeNull();
    }

    [Fact]
    public async Task WithoutAMarket_SaysWhatToDo()
    {
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        var page = ctx.Render<CreatorPage>(p => p.Add(c => c.Handle, "x"));
        page.Markup.Should().Contain("No market data source is running");
    }

    private sealed class FakeMarketQueries : IMarketQueries
    {
        public List<CreatorSummary> Creators { get; } = [];

        public List<VodListItem> Vods { get; } = [];

        public Task<IReadOnlyList<CreatorSummary>> SearchCreatorsAsync(string? search, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<CreatorSummary>>(Creators.Where(c => search is null || c.Handle.Contains(search, StringComparison.OrdinalIgnoreCase)).Take(limit).ToArray());

        public Task<CreatorSummary?> FindCreatorAsync(string idOrHandle, CancellationToken cancellationToken = default) =>
            Task.FromResult(Creators.FirstOrDefault(c => c.Handle.Equals(idOrHandle, StringComparison.OrdinalIgnoreCase) || c.Id.ToString() == idOrHandle));

        public Task<CreatorKpis?> GetCreatorKpisAsync(int creatorId, Period period, CancellationToken cancellationToken = default) =>
            Task.FromResult<CreatorKpis?>(new CreatorKpis(2_960_000, 359_160_000, 81_100, 0.25, 3, 97, 95, 0.014, true));

        public Task<IReadOnlyList<SeriesPoint>> GetSeriesAsync(EntityKind kind, int id, string metric, Period period, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<SeriesPoint>>([new SeriesPoint(DateTime.UtcNow.AddHours(-1), 1), new SeriesPoint(DateTime.UtcNow, 2)]);

        public Task<IReadOnlyList<RankedClip>> GetTopClipsAsync(int creatorId, Period period, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<RankedClip>>([new RankedClip(1, "quinncast: the take", Platform.TikTok, 4, "anime.fans", 69_600, 414.2, DateTime.UtcNow, null)]);

        public Task<IReadOnlyList<RankedClipper>> GetTopClippersAsync(int creatorId, Period period, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<RankedClipper>>([new RankedClipper(4, "fitness.bestof", Platform.TikTok, 1, 91_100)]);

        public Task<IReadOnlyList<VodListItem>> GetCreatorVodsAsync(int creatorId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<VodListItem>>(Vods);

        public Task<IReadOnlyList<Topic>> GetTopicsAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Topic>>([]);

        public Task<bool> EntityExistsAsync(EntityKind kind, int id, CancellationToken cancellationToken = default) =>
            Task.FromResult(Creators.Any(c => c.Id == id));
    }
}
