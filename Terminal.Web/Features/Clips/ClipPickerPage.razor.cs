using Microsoft.AspNetCore.Components;

namespace Terminal.Web.Features.Clips;

/// <summary>CLIP without a VOD: register a source, or pick one of the recent VODs to open its desk.</summary>
public sealed partial class ClipPickerPage : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private IReadOnlyList<VodDetail>? _recent;

    [Inject] private ClipDesk Desk { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnInitializedAsync() => _recent = await Desk.RecentVodsAsync(50, _cts.Token);

    /// <summary>The desk of one VOD (<see cref="ClipDeskPage"/>'s route).</summary>
    public static string DeskUrl(Guid vodId) => $"/clip/{vodId}";

    private void Open(Guid vodId) => Navigation.NavigateTo(DeskUrl(vodId));

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
