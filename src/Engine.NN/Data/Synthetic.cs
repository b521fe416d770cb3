namespace Engine.NN.Data;

/// <summary>Seeded 2-D classification sets for small models and ODE experiments, like scikit-learn's generators.</summary>
public static class Synthetic
{
    /// <summary>
    /// Interleaved spirals, one arm per class: point t in [0, 1) of arm k lies at radius t and angle
    /// 2 pi (turns t + k / classes), plus Gaussian noise of standard deviation <paramref name="noise"/>. Samples alternate between classes.
    /// </summary>
    public static ArrayDataset Spirals(int count, int classes = 2, double turns = 1.5, double noise = 0.05, ulong seed = 0)
    {
        Check("Spirals", count, classes);
        var random = new SplitMix64(seed);
        return Build(count, classes, i =>
        {
            int k = i % classes;
            double t = random.NextDouble();
            double angle = 2 * Math.PI * (turns * t + (double)k / classes);
            return (t * Math.Cos(angle) + noise * random.NextNormal(), t * Math.Sin(angle) + noise * random.NextNormal(), k);
        });
    }

    /// <summary>Two interleaving half circles, like <c>make_moons</c>: class 0 on (cos a, sin a), class 1 on (1 - cos a, 0.5 - sin a), a in [0, pi].</summary>
    public static ArrayDataset Moons(int count, double noise = 0.1, ulong seed = 0)
    {
        Check("Moons", count, 2);
        var random = new SplitMix64(seed);
        return Build(count, 2, i =>
        {
            int k = i % 2;
            double a = Math.PI * random.NextDouble();
            double x = k == 0 ? Math.Cos(a) : 1 - Math.Cos(a), y = k == 0 ? Math.Sin(a) : 0.5 - Math.Sin(a);
            return (x + noise * random.NextNormal(), y + noise * random.NextNormal(), k);
        });
    }

    /// <summary>Two concentric circles, like <c>make_circles</c>: class 0 of radius 1, class 1 of radius <paramref name="factor"/>.</summary>
    public static ArrayDataset Circles(int count, double noise = 0.05, double factor = 0.5, ulong seed = 0)
    {
        Check("Circles", count, 2);
        if (!(factor > 0 && factor < 1)) throw new ArgumentException($"Circles: factor must lie in (0, 1), got {factor}");
        var random = new SplitMix64(seed);
        return Build(count, 2, i =>
        {
            int k = i % 2;
            double a = 2 * Math.PI * random.NextDouble(), r = k == 0 ? 1 : factor;
            return (r * Math.Cos(a) + noise * random.NextNormal(), r * Math.Sin(a) + noise * random.NextNormal(), k);
        });
    }

    private static ArrayDataset Build(int count, int classes, Func<int, (double X, double Y, int Label)> point)
    {
        var features = new float[2 * count];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            var (x, y, label) = point(i);
            features[2 * i] = (float)x;
            features[2 * i + 1] = (float)y;
            labels[i] = label;
        }
        return new ArrayDataset(features, labels, 2, classes);
    }

    private static void Check(string name, int count, int classes)
    {
        if (count <= 0 || classes < 2) throw new ArgumentException($"{name}: need a positive count and at least 2 classes, got {count} and {classes}");
    }
}
