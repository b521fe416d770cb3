using Engine.Autodiff;

namespace Engine.NN;

/// <summary>
/// Batch normalisation of [N, C, H, W] per channel, like <c>torch.nn.BatchNorm2d</c>: in training it normalises by
/// the batch statistics and updates the running ones (buffers <c>running_mean</c>, <c>running_var</c>,
/// <c>num_batches_tracked</c>); in evaluation it normalises by the running statistics. A null momentum averages
/// all batches seen (cumulative moving average).
/// </summary>
public sealed class BatchNorm2d : Module
{
    private readonly bool tracking;

    /// <summary>Creates the layer: weight 1, bias 0, running mean 0, running variance 1.</summary>
    public BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.F32)
    {
        if (numFeatures <= 0) throw new ArgumentException($"BatchNorm2d: the number of features must be positive, got {numFeatures}");
        NumFeatures = numFeatures;
        Eps = eps;
        tracking = trackRunningStats;
        Momentum = momentum;
        if (affine)
        {
            RegisterParameter("weight", Tensor.Ones([numFeatures], dtype));
            RegisterParameter("bias", Tensor.Zeros([numFeatures], dtype));
        }
        if (trackRunningStats)
        {
            RegisterBuffer("running_mean", Tensor.Zeros([numFeatures], dtype));
            RegisterBuffer("running_var", Tensor.Ones([numFeatures], dtype));
            RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.I64));
        }
    }

    /// <summary>Channels.</summary>
    public int NumFeatures { get; }
    /// <summary>Added to the variance.</summary>
    public double Eps { get; }
    /// <summary>Weight of the new batch in the running statistics; null for the cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>[C], or null when not affine.</summary>
    public Tensor? Weight => HasParameter("weight") ? Parameter("weight") : null;
    /// <summary>[C], or null when not affine.</summary>
    public Tensor? Bias => HasParameter("bias") ? Parameter("bias") : null;
    /// <summary>[C], or null when running statistics are not tracked.</summary>
    public Tensor? RunningMean => tracking ? Buffer("running_mean") : null;
    /// <summary>[C], or null when running statistics are not tracked.</summary>
    public Tensor? RunningVar => tracking ? Buffer("running_var") : null;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4)
            throw new ArgumentException($"BatchNorm2d: expected a 4-D input [N, C, H, W], got [{string.Join(", ", input.Shape)}]");
        double momentum = Momentum ?? 0;
        if (Training && tracking)
        {
            var batches = Buffer("num_batches_tracked");
            using (Tape.NoGrad())
            using (TensorScope.Begin())
                batches.CopyFrom(batches + 1);
            momentum = Momentum ?? 1.0 / batches.Item<long>();
        }
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, training: Training || !tracking, momentum, Eps);
    }

    /// <inheritdoc />
    protected override string ExtraRepr() => $"{NumFeatures}, eps={Eps}, momentum={Momentum?.ToString() ?? "None"}, affine={Weight is not null}, track_running_stats={tracking}";
}
