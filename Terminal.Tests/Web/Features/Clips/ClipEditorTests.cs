using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Clips;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>The timeline's keyboard marks and handles (bUnit; the JS module is inert under loose interop).</summary>
public sealed class ClipEditorTests : BunitTestBase
{
    private static VodDetail Vod(double duration = 60, double fps = 25) => new(
        Guid.NewGuid(), 1, "Test VOD", VodStatus.Ready, null, duration, 480, 270, "h264", "aac", fps, 24, null, null, true, DateTime.UtcNow);

    private (IRenderedComponent<ClipEditor> Cut, List<double> Ins, List<double> Outs) Render(double @in = 0, double @out = 10, double fps = 25)
    {
        var ins = new List<double>();
        var outs = new List<double>();
        var cut = Render<ClipEditor>(p => p
            .Add(c => c.Vod, Vod(fps: fps))
            .Add(c => c.In, @in)
            .Add(c => c.Out, @out)
            .Add(c => c.InChanged, v => ins.Add(v))
            .Add(c => c.OutChanged, v => outs.Add(v))
            .Add(c => c.HotZones, [0, 0.5, 1, 0]));
        return (cut, ins, outs);
    }

    private static void Press(IRenderedComponent<ClipEditor> cut, string key, bool shift = false) =>
        cut.Find(".clip-editor").KeyDown(new KeyboardEventArgs { Key = key, ShiftKey = shift });

    [Fact]
    public void ShiftArrows_MoveOneSecond_ArrowsOneFrame_AndIOMarkThePlayhead()
    {
        var (cut, ins, outs) = Render();

        Press(cut, "ArrowRight", shift: true);
        Press(cut, "ArrowRight", shift: true);
        Press(cut, "i");
        for (var i = 0; i < 5; i++)
        {
            Press(cut, "ArrowRight");
        }

        Press(cut, "ArrowLeft");
        Press(cut, "O");

        // O on frame 54 (2.16 s) makes it the last frame: the clip ends where frame 55 starts.
        ins.Should().Equal(2.0);
        outs.Should().Equal(2.2);
        cut.Find("[data-testid=time-in]").TextContent.Should().Be("0:00:02.000");
        cut.Find("[data-testid=time-out]").TextContent.Should().Be("0:00:02.200");
        cut.Find("[data-testid=time-duration]").TextContent.Should().Be("0:00:00.200");
    }

    [Fact]
    public void ArrowLeft_AtTheStart_StaysAtZero_AndShiftArrowRight_StopsAtTheEnd()
    {
        var (cut, _, _) = Render();
        Press(cut, "ArrowLeft");
        cut.Instance.Current.Should().Be(0);

        for (var i = 0; i < 65; i++)
        {
            Press(cut, "ArrowRight", shift: true);
        }

        cut.Instance.Current.Should().Be(60);
    }

    [Fact]
    public void MarkingOutBeforeIn_MovesInBackSoTheRangeStaysValid()
    {
        var (cut, ins, outs) = Render(@in: 20, @out: 30);
        Press(cut, "ArrowRight", shift: true); // playhead 1 s, before the in point
        Press(cut, "o");

        outs.Should().Equal(1.04);
        ins.Should().Equal(0.0);
    }

    [Fact]
    public async Task DraggingHandles_SetsInAndOut_SnappedToFrames_AndNeverCrossing()
    {
        var (cut, ins, outs) = Render(@in: 0, @out: 10);

        await cut.InvokeAsync(() => cut.Instance.OnHandleDrag("in", 0.1234));    // 7.404 s → frame 185 = 7.4 s
        await cut.InvokeAsync(() => cut.Instance.OnHandleDrag("out", 0.05));     // 3 s: before in → in + one frame

        ins.Should().Equal(7.4);
        outs.Should().Equal(7.44);
        cut.Find("[data-testid=handle-in]").GetAttribute("style").Should().Contain("left:12.3333%");
    }

    [Fact]
    public async Task ClickingTheTrack_MovesThePlayhead()
    {
        var (cut, _, _) = Render();
        await cut.InvokeAsync(() => cut.Instance.OnTrackSeek(0.75));
        cut.Instance.Current.Should().Be(45);
        cut.Find("[data-testid=time-current]").TextContent.Should().Be("0:00:45.000");
    }

    [Fact]
    public async Task ClickingTheTrack_SnapsToTheFrameThere_SoIMarksTheFrameOnScreen()
    {
        var (cut, ins, outs) = Render(@in: 0, @out: 10);

        await cut.InvokeAsync(() => cut.Instance.OnTrackSeek(0.1234)); // 7.404 s is inside frame 185 (7.40–7.44)
        cut.Instance.Current.Should().Be(7.4);
        Press(cut, "i");
        Press(cut, "o");

        ins.Should().Equal(7.4);   // the clip's first frame is 185, the one on screen — not 186 (7.44)
        outs.Should().Equal(7.44); // and its last frame is 185 too
    }

    [Fact]
    public async Task MarksAfterPlaying_TakeTheFrameOnScreen_NotTheMidFrameTime()
    {
        var (cut, ins, outs) = Render(@in: 0, @out: 10);

        await cut.InvokeAsync(() => cut.Instance.OnTimeUpdate(3.037, playing: false)); // paused inside frame 75 (3.00–3.04)
        Press(cut, "i");
        Press(cut, "ArrowRight");
        Press(cut, "o");

        ins.Should().Equal(3.0);
        outs.Should().Equal(3.08); // frame 76 on screen → its end
    }

    [Fact]
    public void ArrowSteps_At30Fps_StayOnTheFrameGrid()
    {
        var (cut, ins, _) = Render(fps: 30);

        for (var i = 0; i < 31; i++)
        {
            Press(cut, "ArrowRight");
        }

        cut.Instance.Current.Should().Be(1.033); // frame 31 = 31/30 s, not a millisecond-rounding drift behind it
        Press(cut, "i");
        ins.Should().Equal(1.033);
    }

    [Fact]
    public async Task Zoom_NarrowsTheView_AndHandlesMapIntoIt()
    {
        var (cut, ins, _) = Render(@in: 0, @out: 50);
        await cut.InvokeAsync(() => cut.Instance.OnTrackSeek(0.5)); // playhead 30 s

        Press(cut, "+");
        Press(cut, "+");

        cut.Instance.ViewSpan.Should().Be(15);
        cut.Instance.ViewStart.Should().Be(22.5);
        await cut.InvokeAsync(() => cut.Instance.OnHandleDrag("in", 0.5)); // middle of 22.5–37.5 → 30 s
        ins.Last().Should().Be(30);
        cut.Find("[data-testid=handle-in]").GetAttribute("style").Should().Be("left:50%");
        cut.Find("[data-testid=handle-out]").GetAttribute("style").Should().Be("display:none", "50 s is outside the 22.5–37.5 s view");

        Press(cut, "0");
        cut.Instance.ViewSpan.Should().Be(60);
        cut.Instance.ViewStart.Should().Be(0);
    }

    [Fact]
    public void ZoomToSelection_AndStepping_KeepThePlayheadInView()
    {
        var (cut, _, _) = Render(@in: 40, @out: 44);
        Press(cut, "z");
        cut.Instance.ViewSpan.Should().Be(6);
        cut.Instance.ViewStart.Should().Be(39);
        cut.Find("[data-testid=handle-in]").GetAttribute("style").Should().Contain("left:16.6667%");

        Press(cut, "ArrowRight", shift: true); // playhead 0 → 1 s: outside 39–45, the view follows
        cut.Instance.ViewStart.Should().Be(0);
        cut.Find("[data-testid=handle-in]").GetAttribute("style").Should().Be("display:none");
    }

    [Fact]
    public void HotZones_AreDrawnForHotBinsOnly()
    {
        var (cut, _, _) = Render();
        cut.FindAll(".clip-heat-bin").Should().HaveCount(2);
    }
}
