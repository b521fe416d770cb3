using Engine.Ops;
using Engine.Random;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>Dropout: zeros with probability p, the rest scaled by 1 / (1 - p); see <see cref="Functional.Dropout"/>.</summary>
    internal Tensor Dropout(double p, bool training, Generator? generator)
    {
        const string name = "Dropout";
        OpChecks.Floating(name, this);
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"{name}: probability must be in [0, 1], got {p}");
        if (!training || p == 0) return IdentityView(name);
        var (seed, offset) = (generator ?? Generator.Default).Advance(NumElements);
        return DropoutWithMask(p, seed, offset);
    }

    /// <summary>The dropout map of one mask, fixed by (seed, offset): linear and self-adjoint, so it is its own backward rule.</summary>
    private Tensor DropoutWithMask(double p, ulong seed, ulong offset)
    {
        var y = Empty(shape, DType, Device);
        Backend.Dropout(Buffer, y.Buffer, p, seed, offset);
        return y.Record("Dropout", [this], [], (g, _) => [g.DropoutWithMask(p, seed, offset)]);
    }
}
