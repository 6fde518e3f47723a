namespace Terminal.Jobs.DemoMarket;

/// <summary>Holds the running demo simulation once the bootstrapper has built (or resumed) it.</summary>
public sealed class DemoMarketState
{
    private DemoMarketModel? _model;

    public DemoMarketModel? Model => Volatile.Read(ref _model);

    /// <summary>Serialises live steps (the model is not thread-safe).</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    internal void Set(DemoMarketModel model) => Volatile.Write(ref _model, model);

    /// <summary>The producer term (<see cref="Terminal.Core.Market.IMarketProducer.Term"/>) the model is current for;
    /// a node that becomes the producer catches its model up with the database first. Read and written under <see cref="Gate"/>.</summary>
    internal long Term { get; set; }
}
