namespace Engine.Ode.Tests.Support;

/// <summary>exp(A) of a small dense matrix by scaling and squaring with a Taylor series, in double (relative error near 1e-15).</summary>
internal static class MatrixExponential
{
    public static double[,] Of(double[,] a)
    {
        int n = a.GetLength(0);
        double norm = 0;
        for (int j = 0; j < n; j++)
        {
            double column = 0;
            for (int i = 0; i < n; i++) column += Math.Abs(a[i, j]);
            norm = Math.Max(norm, column);
        }
        int squarings = Math.Max(0, (int)Math.Ceiling(Math.Log2(norm)) + 1);
        var scaled = Scale(a, Math.Pow(2, -squarings));
        var result = Identity(n);
        var term = Identity(n);
        for (int k = 1; k <= 24; k++)
        {
            term = Scale(Multiply(term, scaled), 1.0 / k);
            result = Add(result, term);
        }
        for (int s = 0; s < squarings; s++) result = Multiply(result, result);
        return result;
    }

    public static double[] Apply(double[,] m, double[] v)
    {
        var y = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
            for (int j = 0; j < v.Length; j++) y[i] += m[i, j] * v[j];
        return y;
    }

    private static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++) m[i, i] = 1;
        return m;
    }

    private static double[,] Scale(double[,] m, double s)
    {
        var r = (double[,])m.Clone();
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++) r[i, j] *= s;
        return r;
    }

    private static double[,] Add(double[,] a, double[,] b)
    {
        var r = (double[,])a.Clone();
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) r[i, j] += b[i, j];
        return r;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
                for (int j = 0; j < n; j++) r[i, j] += a[i, k] * b[k, j];
        return r;
    }
}
