using System.Management.Automation;

namespace DigestTools
{
    /// <summary>Reads a container given as a name or id, or as an object with an Id (preferred) or Name property.</summary>
    internal static class ContainerInput
    {
        /// <summary>The name or id, or null when the input names no container.</summary>
        internal static string Read(object input)
        {
            object value = input is PSObject pso ? pso.BaseObject : input;
            if (value is string text) return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
            PSObject wrapped = PSObject.AsPSObject(input);
            foreach (string property in new[] { "Id", "Name" })
                if (wrapped.Properties[property]?.Value is object v && v.ToString() is string s && !string.IsNullOrWhiteSpace(s)) return s.Trim();
            return null;
        }
    }
}
