namespace Engine.NN;

/// <summary>Group normalisation of [N, C, *], like <c>torch.nn.GroupNorm</c>; per-channel weight 1 and bias 0 when affine.</summary>
public sealed class GroupNorm : Module
{
    /// <summary>Creates the layer.</summary>
    public GroupNorm(int numGroups, int numChannels, double eps = 1e-5, bool affine = true, DType dtype = DType.F32)
    {
        if (numGroups <= 0 || numChannels % numGroups != 0)
            throw new ArgumentException($"GroupNorm: {numChannels} channels cannot be split into {numGroups} groups");
        NumGroups = numGroups;
        Eps = eps;
        if (affine)
        {
            RegisterParameter("weight", Tensor.Ones([numChannels], dtype));
            RegisterParameter("bias", Tensor.Zeros([numChannels], dtype));
        }
    }

    /// <summary>Groups the channels are split into.</summary>
    public int NumGroups { get; }
    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) =>
        Functional.GroupNorm(input, NumGroups, HasParameter("weight") ? Parameter("weight") : null, HasParameter("bias") ? Parameter("bias") : null, Eps);
}
