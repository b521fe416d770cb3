using Engine.Random;

namespace Engine.NN;

/// <summary>
/// Zeroes elements with probability p in training and scales the rest by 1 / (1 - p), like <c>torch.nn.Dropout</c>;
/// the identity in evaluation. Masks come from <paramref name="generator"/> (the thread's default when null).
/// </summary>
public sealed class Dropout(double p = 0.5, Generator? generator = null) : Module
{
    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; } = p >= 0 && p <= 1 ? p : throw new ArgumentException($"Dropout: probability must be in [0, 1], got {p}");

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training, generator);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"p={P}";
}
