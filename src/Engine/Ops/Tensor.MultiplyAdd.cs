using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// x * scale + shift with broadcasting, in one pass over memory (<c>torch.addcmul(shift, x, scale)</c>): the
    /// per-channel affine map of the normalisation layers.
    /// </summary>
    public static Tensor MultiplyAdd(Tensor x, Tensor scale, Tensor shift)
    {
        const string name = "MultiplyAdd";
        OpChecks.Floating(name, x);
        OpChecks.Compatible(name, x, scale);
        OpChecks.Compatible(name, x, shift);
        var shape = Shapes.Broadcast(name, Shapes.Broadcast(name, x.shape, scale.shape), shift.shape);
        var y = Empty(shape, x.DType, x.Device);
        x.Backend.MultiplyAdd(x.Buffer.BroadcastTo(shape), scale.Buffer.BroadcastTo(shape), shift.Buffer.BroadcastTo(shape), y.Buffer);
        int[] shapeX = x.shape, shapeScale = scale.shape, shapeShift = shift.shape;
        return y.Record(name, [x, scale, shift], [x, scale], (g, c) =>
        [
            c.Needs(0) ? BroadcastGradient.SumTo(g * c.Saved(1), shapeX) : null,
            c.Needs(1) ? BroadcastGradient.SumTo(g * c.Saved(0), shapeScale) : null,
            c.Needs(2) ? BroadcastGradient.SumTo(g, shapeShift) : null,
        ]);
    }
}
