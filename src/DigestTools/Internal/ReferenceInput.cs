using System.Management.Automation;

namespace DigestTools
{
    /// <summary>
    /// Reads one -Reference input: a string, an ImageReference, or any object carrying a Reference,
    /// PinnedReference, Image or Name property (the output of Get-ImageDigest, a CSV row, a custom
    /// object). Parsing here, not in parameter binding, lets a bad string become one ErrorRecord with
    /// ErrorId InvalidReference while the rest of the pipeline goes on.
    /// </summary>
    internal static class ReferenceInput
    {
        private static readonly string[] s_propertyNames = { "Reference", "PinnedReference", "Image", "Name" };

        internal static bool TryRead(object input, out ImageReference reference, out string problem)
        {
            reference = null;
            object value = Unwrap(input);
            if (value == null) { problem = "No image reference was given (the input is null)."; return false; }
            if (value is ImageReference direct) { reference = direct; problem = null; return true; }
            if (value is string text) return TryParse(text, out reference, out problem);

            PSObject wrapped = PSObject.AsPSObject(input);
            foreach (string name in s_propertyNames)
            {
                object property = Unwrap(wrapped.Properties[name]?.Value);
                if (property is ImageReference fromProperty) { reference = fromProperty; problem = null; return true; }
                if (property is string propertyText) return TryParse(propertyText, out reference, out problem);
            }
            problem = $"An object of type {value.GetType().FullName} is not an image reference: give a string, an ImageReference, or an object with a Reference, Image or Name property.";
            return false;
        }

        private static bool TryParse(string text, out ImageReference reference, out string problem)
        {
            if (ImageReference.TryParse(text, out reference, out string error)) { problem = null; return true; }
            problem = error;   // already names the input and the problem
            return false;
        }

        private static object Unwrap(object value) => value is PSObject pso ? pso.BaseObject : value;
    }
}
