using System.Collections;

namespace Engine.Ode;

/// <summary>
/// The state of an ODE as a tuple of tensors (components of any shapes), like the tuple <c>y0</c> of
/// torchdiffeq: augmented systems (the adjoint's z, a and a_theta) are solved by the same solvers. The dynamics
/// returns one derivative per component, with that component's shape. An <see cref="OdeState"/> does not own
/// its tensors; their lifetime is that of the scope they were created in.
/// </summary>
public sealed class OdeState : IReadOnlyList<Tensor>
{
    private readonly Tensor[] components;

    /// <summary>A state of one or more tensors.</summary>
    public OdeState(params Tensor[] components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Length == 0) throw new ArgumentException("OdeState: needs at least one tensor");
        for (int i = 0; i < components.Length; i++)
            if (components[i] is null) throw new ArgumentNullException(nameof(components), $"OdeState: component {i} is null");
        this.components = (Tensor[])components.Clone();
    }

    /// <summary>Number of tensors.</summary>
    public int Count => components.Length;

    /// <summary>Component <paramref name="index"/>.</summary>
    public Tensor this[int index] => components[index];

    /// <inheritdoc />
    public IEnumerator<Tensor> GetEnumerator() => ((IEnumerable<Tensor>)components).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The shapes of the components, e.g. <c>OdeState([1024, 2], [])</c>.</summary>
    public override string ToString() => $"OdeState({string.Join(", ", components.Select(c => Describe.Shape(c.Shape)))})";
}
