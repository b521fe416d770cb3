namespace Engine.NN;

/// <summary>
/// Sets an optimizer's learning rate as a closed-form function of the number of <see cref="Step"/> calls, like the
/// schedulers of <c>torch.optim.lr_scheduler</c> (call Step once per epoch or once per batch, consistently). Being a
/// function of the count alone, a schedule resumes exactly from <see cref="StepCount"/>.
/// </summary>
public abstract class LrScheduler
{
    /// <summary>Takes the optimizer's current learning rate as the base rate and applies the rate of step 0.</summary>
    protected LrScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate is set.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The learning rate the schedule scales.</summary>
    public double BaseLearningRate { get; }

    /// <summary>Steps taken (PyTorch's <c>last_epoch</c>).</summary>
    public int StepCount { get; private set; }

    /// <summary>The learning rate after <paramref name="step"/> steps.</summary>
    public abstract double LearningRateAt(int step);

    /// <summary>Advances the schedule by one step and sets the optimizer's learning rate.</summary>
    public void Step() => Resume(StepCount + 1);

    /// <summary>Sets the schedule to <paramref name="stepCount"/> steps taken (0 at the start) and applies its rate.</summary>
    public void Resume(int stepCount)
    {
        if (stepCount < 0) throw new ArgumentException($"{GetType().Name}: step count must be non-negative, got {stepCount}");
        StepCount = stepCount;
        Optimizer.LearningRate = LearningRateAt(stepCount);
    }

    /// <summary>Applies the rate of step 0; derived constructors call it once their settings are in place.</summary>
    protected void Start() => Resume(0);
}

/// <summary>base gamma^floor(t / stepSize), like <c>StepLR</c>.</summary>
public sealed class StepLR : LrScheduler
{
    /// <summary>Decays by <paramref name="gamma"/> every <paramref name="stepSize"/> steps.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize <= 0) throw new ArgumentException($"StepLR: step size must be positive, got {stepSize}");
        StepSize = stepSize;
        Gamma = gamma;
        Start();
    }

    /// <summary>Steps between decays.</summary>
    public int StepSize { get; }
    /// <summary>Decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override double LearningRateAt(int step) => BaseLearningRate * Math.Pow(Gamma, step / StepSize);
}

/// <summary>base gamma^(number of milestones &lt;= t), like <c>MultiStepLR</c>.</summary>
public sealed class MultiStepLR : LrScheduler
{
    private readonly int[] milestones;

    /// <summary>Decays by <paramref name="gamma"/> at each milestone.</summary>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1) : base(optimizer)
    {
        this.milestones = [.. milestones.Order()];
        Gamma = gamma;
        Start();
    }

    /// <summary>Decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override double LearningRateAt(int step) => BaseLearningRate * Math.Pow(Gamma, milestones.Count(m => m <= step));
}

/// <summary>etaMin + (base - etaMin) (1 + cos(pi t / tMax)) / 2, like <c>CosineAnnealingLR</c>'s closed form.</summary>
public sealed class CosineAnnealingLR : LrScheduler
{
    /// <summary>Anneals from the base rate to <paramref name="etaMin"/> over <paramref name="tMax"/> steps.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax <= 0) throw new ArgumentException($"CosineAnnealingLR: tMax must be positive, got {tMax}");
        TMax = tMax;
        EtaMin = etaMin;
        Start();
    }

    /// <summary>Steps of half a cosine period.</summary>
    public int TMax { get; }
    /// <summary>Smallest learning rate.</summary>
    public double EtaMin { get; }

    /// <inheritdoc />
    public override double LearningRateAt(int step) => EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * step / TMax)) / 2;
}

/// <summary>
/// A linear warm-up before another schedule, like <c>SequentialLR(LinearLR(startFactor, 1, warmupSteps), schedule)</c>:
/// base (startFactor + (1 - startFactor) t / warmupSteps) for t &lt; warmupSteps, then the schedule's rate at t - warmupSteps.
/// </summary>
public sealed class WarmupLR : LrScheduler
{
    private readonly LrScheduler schedule;

    /// <summary>Warms up over <paramref name="warmupSteps"/> steps, then follows <paramref name="schedule"/> (made for the same optimizer).</summary>
    public WarmupLR(LrScheduler schedule, int warmupSteps, double startFactor = 0.1) : base(schedule.Optimizer)
    {
        if (warmupSteps < 0 || !(startFactor >= 0 && startFactor <= 1))
            throw new ArgumentException($"WarmupLR: warm-up steps {warmupSteps} must be non-negative and the start factor {startFactor} in [0, 1]");
        this.schedule = schedule;
        WarmupSteps = warmupSteps;
        StartFactor = startFactor;
        Start();
    }

    /// <summary>Steps of the linear ramp.</summary>
    public int WarmupSteps { get; }
    /// <summary>Fraction of the base rate at step 0.</summary>
    public double StartFactor { get; }

    /// <inheritdoc />
    public override double LearningRateAt(int step) => step < WarmupSteps
        ? schedule.BaseLearningRate * (StartFactor + (1 - StartFactor) * step / WarmupSteps)
        : schedule.LearningRateAt(step - WarmupSteps);
}
