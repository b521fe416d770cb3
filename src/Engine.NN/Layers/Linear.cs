using Engine.Random;

namespace Engine.NN;

/// <summary>
/// y = x W^T + b with W [out, in], like <c>torch.nn.Linear</c>, initialised as PyTorch does
/// (<see cref="Init.LayerDefaults"/>: U(-1/sqrt(in), 1/sqrt(in)) for both).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with parameters drawn from <paramref name="generator"/>.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, DType dtype = DType.F32, Generator? generator = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentException($"Linear: feature counts must be positive, got {inFeatures} -> {outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var weight = RegisterParameter("weight", Tensor.Zeros([outFeatures, inFeatures], dtype));
        Init.LayerDefaults(weight, bias ? RegisterParameter("bias", Tensor.Zeros([outFeatures], dtype)) : null, generator);
    }

    /// <summary>Size of each input sample.</summary>
    public int InFeatures { get; }

    /// <summary>Size of each output sample.</summary>
    public int OutFeatures { get; }

    /// <summary>[out, in].</summary>
    public Tensor Weight => Parameter("weight");

    /// <summary>[out], or null without bias.</summary>
    public Tensor? Bias => HasParameter("bias") ? Parameter("bias") : null;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight, Bias);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={Bias is not null}";
}
