namespace Engine.NN;

/// <summary>Merges dimensions startDim..endDim (by default all but the batch), like <c>torch.nn.Flatten</c>.</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Flatten(startDim, endDim);
}
