using System.Numerics;
using System.Runtime.InteropServices;
using Engine.Backends.Cpu;
using Xunit;

namespace Engine.Tests.Cpu;

/// <summary>
/// Compares <see cref="Gemm"/> with a compensated naive triple loop in double precision, over odd shapes and shapes
/// straddling the block sizes, strided and transposed views, F32 and F64, single- and multi-threaded.
/// </summary>
public sealed unsafe class GemmTests
{
    // Allowed error is ToleranceFactor * sqrt(k) * eps * max|a| * max|b|. Blocked FMA accumulation keeps the observed
    // worst case near 6 of these units (errors grow like sqrt(k) once k exceeds the KC block), so 16 leaves margin.
    private const double ToleranceFactor = 16;

    public static TheoryData<int, int, int, int> Shapes
    {
        get
        {
            int[][] shapes =
            [
                [1, 1, 1], [1, 37, 1], [37, 1, 1], [7, 13, 5], [17, 33, 65], [100, 1, 100], [1, 100, 100],
                [8, 48, 192], [9, 49, 193], [7, 47, 191], [16, 96, 384], [255, 50, 200], [257, 97, 385],
                [40, 700, 150], [130, 150, 140], [300, 200, 500], [3, 1100, 2000],
                // Small k or n with enough rows that SmallGemm splits them over the cores.
                [8192, 64, 2], [8192, 2, 64],
                // Two outputs: rows in fours plus a remainder, an inner sum with a tail, and one past a depth block; two
                // inputs with blocks of four vectors and of one.
                [1023, 2, 67], [6, 2, 1100], [33, 40, 2],
            ];
            var data = new TheoryData<int, int, int, int>();
            foreach (int[] s in shapes)
            {
                data.Add(s[0], s[1], s[2], 1);
                data.Add(s[0], s[1], s[2], 2);
            }
            return data;
        }
    }

    public static TheoryData<int, int, int, bool, bool, int, int> Layouts
    {
        get
        {
            var data = new TheoryData<int, int, int, bool, bool, int, int>();
            // The last seven have one dimension below the register tile, as in a 2-64-2 MLP: SmallGemm's paths.
            foreach (int[] s in new[] { new[] { 7, 13, 5 }, [17, 33, 65], [130, 150, 140], [1024, 64, 2], [1024, 2, 64], [2, 64, 1024], [64, 2, 1024], [20, 3, 300], [56, 2, 300], [2, 60, 300] })
                foreach (bool transposeA in new[] { false, true })
                    foreach (bool transposeB in new[] { false, true })
                        foreach (int colStrideC in new[] { 1, 3 })
                            foreach (int threads in new[] { 1, 2 })
                                data.Add(s[0], s[1], s[2], transposeA, transposeB, colStrideC, threads);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RowMajorF32(int m, int n, int k, int threads) => Verify<float>(m, n, k, false, false, 1, threads);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RowMajorF64(int m, int n, int k, int threads) => Verify<double>(m, n, k, false, false, 1, threads);

    [Theory]
    [MemberData(nameof(Layouts))]
    public void StridedF32(int m, int n, int k, bool transposeA, bool transposeB, int colStrideC, int threads) =>
        Verify<float>(m, n, k, transposeA, transposeB, colStrideC, threads);

    [Theory]
    [MemberData(nameof(Layouts))]
    public void StridedF64(int m, int n, int k, bool transposeA, bool transposeB, int colStrideC, int threads) =>
        Verify<double>(m, n, k, transposeA, transposeB, colStrideC, threads);

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 7, 1)]
    [InlineData(300, 200, 2)]
    public void ZeroDepthWritesZeros(int m, int n, int threads)
    {
        Verify<float>(m, n, 0, false, false, 2, threads);
        Verify<double>(m, n, 0, true, true, 1, threads);
    }

    [Theory]
    [InlineData(0, 5, 3)]
    [InlineData(5, 0, 3)]
    [InlineData(0, 0, 0)]
    public void EmptyOutputIsNoOp(int m, int n, int k)
    {
        Verify<float>(m, n, k, false, false, 1, 2);
        Verify<double>(m, n, k, false, false, 1, 1);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void StridedWithBiasF32(int m, int n, int k, bool transposeA, bool transposeB, int colStrideC, int threads) =>
        Verify<float>(m, n, k, transposeA, transposeB, colStrideC, threads, withBias: true);

    [Theory]
    [MemberData(nameof(Layouts))]
    public void StridedWithBiasF64(int m, int n, int k, bool transposeA, bool transposeB, int colStrideC, int threads) =>
        Verify<double>(m, n, k, transposeA, transposeB, colStrideC, threads, withBias: true);

    private static void Verify<T>(int m, int n, int k, bool transposeA, bool transposeB, int colStrideC, int threads, bool withBias = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new System.Random(((m * 31) + n) * 31 + k);
        using var a = transposeA ? TestMatrix<T>.ColumnMajor(m, k) : TestMatrix<T>.RowMajor(m, k, 1);
        using var b = transposeB ? TestMatrix<T>.ColumnMajor(k, n) : TestMatrix<T>.RowMajor(k, n, 1);
        using var c = TestMatrix<T>.RowMajor(m, n, colStrideC);
        a.FillRandom(random);
        b.FillRandom(random);
        c.Fill(T.NaN);
        var bias = new T[n];
        for (int j = 0; j < n; j++) bias[j] = T.CreateTruncating(random.NextDouble() * 2 - 1);

        fixed (T* pb = bias) Multiply(m, n, k, a, b, c, threads, withBias ? pb : null);

        double eps = double.CreateTruncating(T.BitIncrement(T.One) - T.One);
        double tolerance = ToleranceFactor * Math.Sqrt(k) * eps * a.MaxAbs() * b.MaxAbs();
        double[][] rowsOfA = a.Rows(), columnsOfB = b.Columns();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = Dot(rowsOfA[i], columnsOfB[j]) + (withBias ? double.CreateTruncating(bias[j]) : 0);
                double actual = c[i, j];
                if (!(Math.Abs(actual - expected) <= tolerance))
                    Assert.Fail($"C[{i},{j}] = {actual}, expected {expected} (tolerance {tolerance:E2}) for {m}x{n}x{k}");
                c[i, j] = double.NaN;
            }
        }
        Assert.True(c.AllNaN(), "Gemm wrote outside the m x n elements of C");
    }

    /// <summary>Naive dot product in double with Neumaier compensation, so the reference error is negligible for F64 too.</summary>
    private static double Dot(double[] x, double[] y)
    {
        double sum = 0, compensation = 0;
        for (int p = 0; p < x.Length; p++)
        {
            double term = x[p] * y[p];
            double next = sum + term;
            compensation += Math.Abs(sum) >= Math.Abs(term) ? sum - next + term : term - next + sum;
            sum = next;
        }
        return sum + compensation;
    }

    private static void Multiply<T>(int m, int n, int k, TestMatrix<T> a, TestMatrix<T> b, TestMatrix<T> c, int threads, T* bias = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Gemm.Multiply(m, n, k, (float*)a.Data, a.RowStride, a.ColStride, (float*)b.Data, b.RowStride, b.ColStride,
                (float*)c.Data, c.RowStride, c.ColStride, threads, (float*)bias);
        }
        else
        {
            Gemm.Multiply(m, n, k, (double*)a.Data, a.RowStride, a.ColStride, (double*)b.Data, b.RowStride, b.ColStride,
                (double*)c.Data, c.RowStride, c.ColStride, threads, (double*)bias);
        }
    }

    /// <summary>A strided matrix in native memory whose rows (or columns) are padded, so strides never equal the extent.</summary>
    private sealed class TestMatrix<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const int Padding = 3;
        private readonly int _rows, _cols;
        private readonly long _length;

        private TestMatrix(int rows, int cols, long rowStride, long colStride)
        {
            (_rows, _cols, RowStride, ColStride) = (rows, cols, rowStride, colStride);
            _length = rows == 0 || cols == 0 ? 1 : (rows - 1) * rowStride + (cols - 1) * colStride + 1;
            Data = (T*)NativeMemory.Alloc((nuint)_length, (nuint)sizeof(T));
        }

        public T* Data { get; }

        public long RowStride { get; }

        public long ColStride { get; }

        public double this[int row, int col]
        {
            get => double.CreateTruncating(Data[row * RowStride + col * ColStride]);
            set => Data[row * RowStride + col * ColStride] = T.CreateTruncating(value);
        }

        public static TestMatrix<T> RowMajor(int rows, int cols, int colStride) =>
            new(rows, cols, (long)cols * colStride + Padding, colStride);

        public static TestMatrix<T> ColumnMajor(int rows, int cols) => new(rows, cols, 1, rows + Padding);

        /// <summary>Uniform values in [-1, 1], with element (0, 0) pinned to 1 so the matrix is never all zeros.</summary>
        public void FillRandom(System.Random random)
        {
            for (long i = 0; i < _length; i++)
                Data[i] = T.CreateTruncating(random.NextDouble() * 2 - 1);
            if (_rows > 0 && _cols > 0)
                this[0, 0] = 1;
        }

        public void Fill(T value) => new Span<T>(Data, (int)_length).Fill(value);

        public double[][] Rows() =>
            Enumerable.Range(0, _rows).Select(i => Enumerable.Range(0, _cols).Select(j => this[i, j]).ToArray()).ToArray();

        public double[][] Columns() =>
            Enumerable.Range(0, _cols).Select(j => Enumerable.Range(0, _rows).Select(i => this[i, j]).ToArray()).ToArray();

        public double MaxAbs()
        {
            double max = 0;
            for (int i = 0; i < _rows; i++)
            {
                for (int j = 0; j < _cols; j++)
                    max = Math.Max(max, Math.Abs(this[i, j]));
            }
            return max;
        }

        public void Dispose() => NativeMemory.Free(Data);

        public bool AllNaN()
        {
            for (long i = 0; i < _length; i++)
            {
                if (!T.IsNaN(Data[i]))
                    return false;
            }
            return true;
        }
    }
}
