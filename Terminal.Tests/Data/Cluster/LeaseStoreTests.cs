using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Cluster;
using Terminal.Data;
using Terminal.Data.Cluster;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Data.Cluster;

/// <summary>The database lease that stands in for an in-process lock when several nodes share one database.</summary>
public sealed class LeaseStoreTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    private LeaseStore Store => new(factory.Services.GetRequiredService<TerminalDatabase>(), _clock);

    private static string Name() => "test:" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task AHeldLease_IsRefusedToAnotherHolder_AndRenewedForItsHolder()
    {
        var name = Name();
        (await Store.TryAcquireAsync(name, "node-a", Duration, default)).Should().BeTrue();

        (await Store.TryAcquireAsync(name, "node-b", Duration, default)).Should().BeFalse();
        (await Store.TryAcquireAsync(name, "node-a", Duration, default)).Should().BeTrue("the holder renews");
    }

    [Fact]
    public async Task AnExpiredLease_IsTakenOver_AndTheOldHolderLosesIt()
    {
        var name = Name();
        (await Store.TryAcquireAsync(name, "node-a", Duration, default)).Should().BeTrue();
        _clock.Advance(Duration - TimeSpan.FromSeconds(1));
        (await Store.TryAcquireAsync(name, "node-b", Duration, default)).Should().BeFalse("not expired yet");

        _clock.Advance(TimeSpan.FromSeconds(1));

        (await Store.TryAcquireAsync(name, "node-b", Duration, default)).Should().BeTrue("node-a died and its lease ran out");
        (await Store.TryAcquireAsync(name, "node-a", Duration, default)).Should().BeFalse();
    }

    [Fact]
    public async Task Release_FreesTheLease_ButOnlyForItsHolder()
    {
        var name = Name();
        (await Store.TryAcquireAsync(name, "node-a", Duration, default)).Should().BeTrue();
        await Store.ReleaseAsync(name, "node-b", default);
        (await Store.TryAcquireAsync(name, "node-b", Duration, default)).Should().BeFalse("node-b cannot release node-a's lease");

        await Store.ReleaseAsync(name, "node-a", default);

        (await Store.TryAcquireAsync(name, "node-b", Duration, default)).Should().BeTrue();
    }

    [Fact]
    public async Task RacingHolders_OnAFreshName_ExactlyOneWins()
    {
        var name = Name();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Store.TryAcquireAsync(name, $"node-{i}", Duration, default))));

        results.Count(won => won).Should().Be(1);
    }

    [Fact]
    public async Task AcquireAsync_WaitsForTheHolderToRelease()
    {
        var name = Name();
        var store = Store;
        var first = await store.AcquireAsync(name, Duration, default);
        var second = store.AcquireAsync(name, Duration, default);
        await Task.Delay(LeaseExtensions.RetryInterval * 3);
        second.IsCompleted.Should().BeFalse("the first holder still has it");

        await first.DisposeAsync();

        await using var held = await second.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
