using Xunit;

namespace Engine.Tests.Support;

/// <summary>Seeded random test inputs: a tensor in a given layout together with its reference values.</summary>
internal static class Sample
{
    public static readonly Layout[] Layouts = Enum.GetValues<Layout>();
    public static readonly DType[] FloatTypes = [DType.F32, DType.F64];
    public static readonly DType[] AllTypes = [DType.F32, DType.F64, DType.I32, DType.I64];

    /// <summary>Layouts a tensor can be updated in place in: all but expanded, whose elements share memory.</summary>
    public static readonly Layout[] WritableLayouts = [.. Layouts.Where(l => l != Layout.Expanded)];

    /// <summary>Every (dtype, layout) pair, for theories run in each memory layout (of <paramref name="layouts"/> when given).</summary>
    public static TheoryData<DType, Layout> InEveryLayout(IEnumerable<DType> dtypes, IEnumerable<Layout>? layouts = null)
    {
        var data = new TheoryData<DType, Layout>();
        foreach (var dtype in dtypes)
            foreach (var layout in layouts ?? Layouts)
                data.Add(dtype, layout);
        return data;
    }

    /// <summary>Every (case name, floating dtype, layout) triple (layouts of <paramref name="layouts"/> when given).</summary>
    public static TheoryData<string, DType, Layout> FloatingInEveryLayout(IEnumerable<string> names, IEnumerable<Layout>? layouts = null)
    {
        var data = new TheoryData<string, DType, Layout>();
        foreach (var name in names)
            foreach (var dtype in FloatTypes)
                foreach (var layout in layouts ?? Layouts)
                    data.Add(name, dtype, layout);
        return data;
    }

    /// <summary>A scalar, a short odd vector, a small matrix, and one of 41 567 elements (past the parallel threshold of 32 768).</summary>
    public static readonly int[][] ElementwiseShapes = [[], [7], [3, 5], [211, 197]];

    /// <summary>
    /// A tensor of <paramref name="shape"/> with seeded random values (see <see cref="Ref.Random"/>) in
    /// <paramref name="layout"/>, and the values it holds.
    /// </summary>
    public static (Tensor Tensor, Ref Ref) Make(int seed, int[] shape, DType dtype, Layout layout,
        double lo = -2, double hi = 2, bool integral = false)
    {
        var rng = new System.Random(seed);
        if (layout == Layout.Expanded)
        {
            int axis = Array.FindIndex(shape, d => d > 1);
            var baseShape = (int[])shape.Clone();
            if (axis >= 0) baseShape[axis] = 1;
            var values = Ref.Random(rng, baseShape, dtype, lo, hi, integral);
            using var compact = values.ToTensor(dtype);
            return (compact.Expand(shape), values.BroadcastTo(shape));
        }
        var r = Ref.Random(rng, shape, dtype, lo, hi, integral);
        return (Lay(r, dtype, layout), r);
    }

    /// <summary>A tensor that shows exactly the values of <paramref name="r"/>, stored as <paramref name="layout"/> says (not <see cref="Layout.Expanded"/>).</summary>
    private static Tensor Lay(Ref r, DType dtype, Layout layout)
    {
        switch (layout)
        {
            case Layout.Contiguous:
                return r.ToTensor(dtype);
            case Layout.Transposed:
            {
                var reversed = Enumerable.Range(0, r.Rank).Reverse().ToArray();
                using var stored = r.Permute(reversed).ToTensor(dtype);
                return stored.Permute(reversed);
            }
            case Layout.Strided:
            {
                if (r.Rank == 0) return r.ToTensor(dtype);
                int n = r.Shape[^1];
                int[] wide = [.. r.Shape[..^1], 2 * n + 1];
                double garbage = dtype.IsFloating() ? double.NaN : 1_000_000;
                var storage = new Ref(wide, Enumerable.Repeat(garbage, Ref.Count(wide)).ToArray());
                var strides = Ref.Strides(wide);
                strides[^1] = 2;
                var positions = Ref.Positions(r.Shape, strides, offset: 1);
                for (int i = 0; i < positions.Length; i++) storage.Data[positions[i]] = r.Data[i];
                using var stored = storage.ToTensor(dtype);
                return stored.Slice(-1, 1, 2 * n + 1, 2);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(layout), layout, "use Sample.Make for expanded inputs");
        }
    }
}
