namespace Terminal.Jobs.DemoMarket;

/// <summary>Holds the running demo simulation once the bootstrapper has built (or resumed) it.</summary>
public sealed class DemoMarketState
{
    private DemoMarketModel? _model;

    public DemoMarketModel? Model => Volatile.Read(ref _model);

    /// <summary>Serialises live steps (the model is not thread-safe).</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    internal void Set(DemoMarketModel model) => Volatile.Write(ref _model, model);
}
