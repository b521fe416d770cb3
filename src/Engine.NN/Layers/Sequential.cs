namespace Engine.NN;

/// <summary>Modules applied in order, named "0", "1", ... like <c>torch.nn.Sequential</c>.</summary>
public sealed class Sequential : Module
{
    private readonly Module[] layers;

    /// <summary>Chains <paramref name="modules"/>; the sequence owns them.</summary>
    public Sequential(params Module[] modules)
    {
        layers = modules;
        for (int i = 0; i < modules.Length; i++) RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), modules[i]);
    }

    /// <summary>The modules in order.</summary>
    public IReadOnlyList<Module> Layers => layers;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in layers) x = layer.Forward(x);
        return ReferenceEquals(x, input) ? input.Contiguous() : x;
    }
}
