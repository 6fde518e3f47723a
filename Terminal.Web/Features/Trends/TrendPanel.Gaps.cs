using System.Globalization;
using Microsoft.AspNetCore.Components;
using Terminal.Core.Insights;

namespace Terminal.Web.Features.Trends;

/// <summary>The niches grid's opportunity-gap column (SPEC §3, §10): loaded from <see cref="GapSource"/> for the panel's platform and period.</summary>
public sealed partial class TrendPanel
{
    private IReadOnlyDictionary<int, OpportunityGap>? _gaps;
    private string? _gapKey;

    /// <summary>Niches grid: where each topic's opportunity gap comes from; a Gap column shows (and goes into the CSV) when set.</summary>
    [Parameter] public IOpportunityGapSource? GapSource { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (GapSource is null)
        {
            _gaps = null;
            _gapKey = null;
            return;
        }

        var key = string.Create(CultureInfo.InvariantCulture, $"{Platform}|{Period}");
        if (key == _gapKey)
        {
            return;
        }

        _gapKey = key;
        var gaps = await GapSource.OpportunitiesAsync(Platform, Period);
        _gaps = gaps.GroupBy(g => g.TopicId).ToDictionary(g => g.Key, g => g.First());
    }

    private string GapText(int topicId) =>
        _gaps?.GetValueOrDefault(topicId) is { } g ? g.Gap.ToString("0", CultureInfo.InvariantCulture) : "—";

    private string? GapTitle(int topicId) =>
        _gaps?.GetValueOrDefault(topicId) is { } g
            ? string.Create(CultureInfo.InvariantCulture, $"gap {g.Gap:0} of 100, 95% interval [{g.Low:0}, {g.High:0}]; demand {g.Demand:0} views/h, supply {g.Supply:0.00} clips/h")
            : "no demand measured for this topic in the period";
}
