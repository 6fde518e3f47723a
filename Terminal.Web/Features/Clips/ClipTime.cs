using System.Globalization;

namespace Terminal.Web.Features.Clips;

/// <summary>Clip desk time display: <c>h:mm:ss.fff</c>, to the millisecond.</summary>
public static class ClipTime
{
    public static string Format(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            seconds = 0;
        }

        var ms = (long)Math.Round(seconds * 1000, MidpointRounding.AwayFromZero);
        var t = TimeSpan.FromMilliseconds(ms);
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds:000}");
    }
}
