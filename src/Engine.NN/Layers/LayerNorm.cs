namespace Engine.NN;

/// <summary>Layer normalisation over the last dimensions, like <c>torch.nn.LayerNorm</c>; elementwise weight 1 and bias 0.</summary>
public sealed class LayerNorm : Module
{
    /// <summary>Creates the layer for inputs ending in <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.F32)
    {
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d <= 0))
            throw new ArgumentException($"LayerNorm: the normalized shape [{string.Join(", ", normalizedShape)}] must be non-empty and positive");
        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        if (elementwiseAffine)
        {
            RegisterParameter("weight", Tensor.Ones(normalizedShape, dtype));
            RegisterParameter("bias", Tensor.Zeros(normalizedShape, dtype));
        }
    }

    /// <summary>The trailing shape normalised over.</summary>
    public int[] NormalizedShape { get; }
    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) =>
        Functional.LayerNorm(input, NormalizedShape, HasParameter("weight") ? Parameter("weight") : null, HasParameter("bias") ? Parameter("bias") : null, Eps);
}
