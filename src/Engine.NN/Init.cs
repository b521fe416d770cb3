using Engine.Autodiff;
using Engine.Random;

namespace Engine.NN;

/// <summary>Which fan a Kaiming initialisation preserves the variance of.</summary>
public enum FanMode
{
    /// <summary>The forward pass (fan in).</summary>
    FanIn,
    /// <summary>The backward pass (fan out).</summary>
    FanOut,
}

/// <summary>The nonlinearity that follows a layer, for the gain of <see cref="Init"/>.</summary>
public enum Nonlinearity
{
    /// <summary>Identity or linear: gain 1.</summary>
    Linear,
    /// <summary>Sigmoid: gain 1.</summary>
    Sigmoid,
    /// <summary>Tanh: gain 5/3.</summary>
    Tanh,
    /// <summary>ReLU: gain sqrt(2).</summary>
    Relu,
    /// <summary>Leaky ReLU with negative slope a: gain sqrt(2 / (1 + a^2)).</summary>
    LeakyRelu,
}

/// <summary>
/// Parameter initialisation in place, like <c>torch.nn.init</c>, drawing from a seeded <see cref="Generator"/> (the
/// thread's default when null). Fans: a [out, in, ...] weight has fan in = in * (product of the other sizes) and
/// fan out = out * (the same product).
/// </summary>
public static class Init
{
    /// <summary>The recommended gain for <paramref name="nonlinearity"/>, like <c>torch.nn.init.calculate_gain</c>.</summary>
    public static double Gain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.Relu => Math.Sqrt(2),
        Nonlinearity.LeakyRelu => Math.Sqrt(2 / (1 + negativeSlope * negativeSlope)),
        _ => 1,
    };

    /// <summary>(fan in, fan out) of a weight of at least two dimensions.</summary>
    public static (long FanIn, long FanOut) Fans(Tensor weight)
    {
        if (weight.Rank < 2)
            throw new ArgumentException($"Init: fans need a weight of at least 2 dimensions, got [{string.Join(", ", weight.Shape)}]");
        long receptive = weight.Shape.Skip(2).Aggregate(1L, (n, d) => n * d);
        return (weight.Size(1) * receptive, weight.Size(0) * receptive);
    }

    /// <summary>U(-bound, bound) with bound = gain sqrt(3 / fan), like <c>kaiming_uniform_</c> (a is the leaky slope).</summary>
    public static void KaimingUniform(Tensor weight, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu,
        Generator? generator = null)
    {
        double bound = Gain(nonlinearity, a) * Math.Sqrt(3.0 / Fan(weight, mode));
        Uniform(weight, -bound, bound, generator);
    }

    /// <summary>N(0, std^2) with std = gain / sqrt(fan), like <c>kaiming_normal_</c>.</summary>
    public static void KaimingNormal(Tensor weight, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu,
        Generator? generator = null) =>
        Normal(weight, 0, Gain(nonlinearity, a) / Math.Sqrt(Fan(weight, mode)), generator);

    /// <summary>U(-bound, bound) with bound = gain sqrt(6 / (fan in + fan out)), like <c>xavier_uniform_</c>.</summary>
    public static void XavierUniform(Tensor weight, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(weight);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(weight, -bound, bound, generator);
    }

    /// <summary>N(0, std^2) with std = gain sqrt(2 / (fan in + fan out)), like <c>xavier_normal_</c>.</summary>
    public static void XavierNormal(Tensor weight, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(weight);
        Normal(weight, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>Uniform values in [low, high).</summary>
    public static void Uniform(Tensor tensor, double low, double high, Generator? generator = null)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tape.NoGrad();
        tensor.CopyFrom(Tensor.Rand(tensor.Shape, tensor.DType, generator, tensor.Device) * (high - low) + low);
    }

    /// <summary>Normal values with the given mean and standard deviation.</summary>
    public static void Normal(Tensor tensor, double mean, double std, Generator? generator = null)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tape.NoGrad();
        tensor.CopyFrom(Tensor.Randn(tensor.Shape, tensor.DType, generator, tensor.Device) * std + mean);
    }

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static void Constant(Tensor tensor, double value)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tape.NoGrad();
        tensor.CopyFrom(Tensor.Full([], value, tensor.DType, tensor.Device));
    }

    /// <summary>
    /// PyTorch's default for linear and convolution layers (their <c>reset_parameters</c>): the weight from
    /// Kaiming-uniform with a = sqrt(5), i.e. U(-1/sqrt(fan in), 1/sqrt(fan in)), and the bias from the same range.
    /// </summary>
    public static void LayerDefaults(Tensor weight, Tensor? bias, Generator? generator = null)
    {
        KaimingUniform(weight, a: Math.Sqrt(5), generator: generator);
        if (bias is null) return;
        double bound = 1 / Math.Sqrt(Fans(weight).FanIn);
        Uniform(bias, -bound, bound, generator);
    }

    private static long Fan(Tensor weight, FanMode mode)
    {
        var (fanIn, fanOut) = Fans(weight);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }
}
