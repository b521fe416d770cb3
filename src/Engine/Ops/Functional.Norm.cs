using Engine.Autodiff;
using Engine.Ops;

namespace Engine;

public static partial class Functional
{
    /// <summary>
    /// Batch normalisation of <paramref name="input"/> [N, C, *] over every axis but the channels, like
    /// <c>torch.nn.functional.batch_norm</c>. In training the batch statistics (one fused pass) normalise the input
    /// and, when running statistics are given, update them in place: running = (1 - momentum) running + momentum
    /// statistic, with the unbiased batch variance. Otherwise the running statistics normalise. Gradients flow to
    /// the input, <paramref name="weight"/> and <paramref name="bias"/> (each [C]), through the batch statistics too.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        const string op = "BatchNorm";
        OpChecks.Floating(op, input);
        if (input.Rank < 2)
            throw new ArgumentException($"{op}: expected input [N, C, *], got {OpChecks.Describe(input)}");
        int channels = input.Dims[1];
        foreach (var (name, t) in new[] { ("running mean", runningMean), ("running variance", runningVar), ("weight", weight), ("bias", bias) })
            CheckChannelVector(op, name, input, t, channels);
        if (!training && (runningMean is null || runningVar is null))
            throw new ArgumentException($"{op}: inference needs the running mean and variance");
        var axes = Enumerable.Range(0, input.Rank).Where(d => d != 1).ToArray();
        long count = input.NumElements / channels;
        if (training && count <= 1)
            throw new ArgumentException($"{op}: expected more than 1 value per channel when training, got input {OpChecks.Describe(input)}");
        var channelShape = input.Dims.Select((d, i) => i == 1 ? d : 1).ToArray();

        using var scope = TensorScope.Begin();
        Tensor mean, variance;
        if (training)
        {
            (variance, mean) = input.VarMean(axes, correction: 0, keepDim: true);
            if (runningMean is not null && runningVar is not null)
                UpdateRunningStatistics(runningMean, runningVar, mean, variance, momentum, count);
        }
        else
        {
            mean = runningMean!.Reshape(channelShape);
            variance = runningVar!.Reshape(channelShape);
        }
        var scale = (variance + eps).Rsqrt();
        if (weight is not null) scale = scale * weight.Reshape(channelShape);
        var shift = -(mean * scale);
        if (bias is not null) shift = shift + bias.Reshape(channelShape);
        return scope.Keep(Tensor.MultiplyAdd(input, scale, shift));
    }

    /// <summary>running = (1 - momentum) running + momentum statistic, in place and unrecorded; the variance made unbiased.</summary>
    private static void UpdateRunningStatistics(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor variance, double momentum, long count)
    {
        using var noGrad = Tape.NoGrad();
        using var scope = TensorScope.Begin();
        runningMean.CopyFrom(runningMean * (1 - momentum) + mean.Reshape(runningMean.Dims) * momentum);
        runningVar.CopyFrom(runningVar * (1 - momentum) + variance.Reshape(runningVar.Dims) * (momentum * count / (count - 1)));
    }

    /// <summary>
    /// Group normalisation of <paramref name="input"/> [N, C, *]: the channels are split into <paramref name="groups"/>
    /// groups, each normalised by its own mean and variance per sample, then scaled by <paramref name="weight"/> and
    /// shifted by <paramref name="bias"/> (each [C]) per channel, like <c>torch.nn.functional.group_norm</c>.
    /// </summary>
    public static Tensor GroupNorm(Tensor input, int groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        const string op = "GroupNorm";
        OpChecks.Floating(op, input);
        if (input.Rank < 2 || groups <= 0 || input.Dims[1] % groups != 0)
            throw new ArgumentException($"{op}: expected input [N, C, *] with C divisible by groups = {groups}, got {OpChecks.Describe(input)}");
        int channels = input.Dims[1];
        CheckChannelVector(op, "weight", input, weight, channels);
        CheckChannelVector(op, "bias", input, bias, channels);
        using var scope = TensorScope.Begin();
        var grouped = input.Reshape(input.Dims[0], groups, -1);
        var normalized = Normalize(grouped, [2], eps).Reshape(input.Dims);
        var channelShape = input.Dims.Select((d, i) => i == 1 ? d : 1).ToArray();
        return scope.Keep(Affine(normalized, weight?.Reshape(channelShape), bias?.Reshape(channelShape)));
    }

    /// <summary>
    /// Layer normalisation over the last dimensions of <paramref name="input"/>, those of
    /// <paramref name="normalizedShape"/>, then elementwise <paramref name="weight"/> and <paramref name="bias"/> of that
    /// shape, like <c>torch.nn.functional.layer_norm</c>.
    /// </summary>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        const string op = "LayerNorm";
        OpChecks.Floating(op, input);
        int k = normalizedShape.Length;
        if (k == 0 || k > input.Rank || !input.Dims[^k..].AsSpan().SequenceEqual(normalizedShape))
            throw new ArgumentException($"{op}: input {OpChecks.Describe(input)} does not end with the normalized shape {Shapes.Format(normalizedShape)}");
        foreach (var (name, t) in new[] { ("weight", weight), ("bias", bias) })
            if (t is not null)
            {
                OpChecks.Compatible(op, input, t);
                if (!t.Dims.AsSpan().SequenceEqual(normalizedShape))
                    throw new ArgumentException($"{op}: {name} {OpChecks.Describe(t)} should have the normalized shape {Shapes.Format(normalizedShape)}");
            }
        using var scope = TensorScope.Begin();
        var normalized = Normalize(input, [.. Enumerable.Range(input.Rank - k, k)], eps);
        return scope.Keep(Affine(normalized, weight, bias));
    }

    /// <summary>(x - mean) / sqrt(variance + eps) over <paramref name="axes"/>, as one scale-and-shift pass after one statistics pass.</summary>
    private static Tensor Normalize(Tensor x, int[] axes, double eps)
    {
        var (variance, mean) = x.VarMean(axes, correction: 0, keepDim: true);
        var scale = (variance + eps).Rsqrt();
        return Tensor.MultiplyAdd(x, scale, -(mean * scale));
    }

    private static Tensor Affine(Tensor x, Tensor? weight, Tensor? bias) => (weight, bias) switch
    {
        (null, null) => x,
        (not null, not null) => Tensor.MultiplyAdd(x, weight, bias),
        (not null, null) => x * weight,
        _ => x + bias!,
    };

    private static void CheckChannelVector(string op, string name, Tensor input, Tensor? t, int channels)
    {
        if (t is null) return;
        OpChecks.Compatible(op, input, t);
        if (t.Rank != 1 || t.Dims[0] != channels)
            throw new ArgumentException($"{op}: {name} {OpChecks.Describe(t)} should be [{channels}], one value per channel of input {OpChecks.Describe(input)}");
    }
}
