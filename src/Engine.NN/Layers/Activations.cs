namespace Engine.NN;

/// <summary>max(x, 0), like <c>torch.nn.ReLU</c>.</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>x for x &gt; 0, else slope x, like <c>torch.nn.LeakyReLU</c>.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>Slope for negative inputs.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
}

/// <summary>Hyperbolic tangent, like <c>torch.nn.Tanh</c>.</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>Logistic sigmoid, like <c>torch.nn.Sigmoid</c>.</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>GELU with the tanh approximation, like <c>torch.nn.GELU(approximate="tanh")</c>.</summary>
public sealed class GELU : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Gelu();
}

/// <summary>log(1 + e^x), like <c>torch.nn.Softplus</c>.</summary>
public sealed class Softplus : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Softplus();
}

/// <summary>Returns its input (as a new handle), like <c>torch.nn.Identity</c>.</summary>
public sealed class Identity : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Contiguous();
}
