using System.Management.Automation;
using DigestTools.Engine.Errors;

namespace DigestTools
{
    /// <summary>
    /// THE reader of reference inputs, for every cmdlet: a string, an ImageReference, or any object carrying
    /// a PinnedReference, Reference, Image or Name property (cmdlet output, a CSV row, a JSON object), in that
    /// order of precedence: a digest the caller already resolved wins. Parsing here, not in parameter binding,
    /// lets a bad value become one InvalidReference ErrorRecord while the rest of the pipeline goes on.
    /// </summary>
    internal static class ReferenceInput
    {
        private static readonly string[] s_propertyNames = { "PinnedReference", "Reference", "Image", "Name" };

        /// <summary>The reference, or null with an InvalidReference record saying why there is none.</summary>
        internal static ImageReference Read(object input, out ErrorRecord error)
        {
            if (TryRead(input, out ImageReference reference, out string problem)) { error = null; return reference; }
            error = ErrorRecords.For(ErrorCatalog.InvalidReference, problem, input);
            return null;
        }

        /// <summary>A bound PinnedReference parameter wins over the Reference input, as it does on objects.</summary>
        internal static ImageReference Read(string pinnedReference, object input, out ErrorRecord error)
            => Read(string.IsNullOrWhiteSpace(pinnedReference) ? input : pinnedReference, out error);

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
                if (property is string propertyText && !string.IsNullOrWhiteSpace(propertyText)) return TryParse(propertyText, out reference, out problem);
            }
            problem = $"An object of type {value.GetType().FullName} is not an image reference: give a string, an ImageReference, or an object with a PinnedReference, Reference, Image or Name property.";
            return false;
        }

        private static bool TryParse(string text, out ImageReference reference, out string problem)
        {
            if (string.IsNullOrWhiteSpace(text)) { reference = null; problem = "No image reference was given (the input is empty)."; return false; }
            if (ImageReference.TryParse(text.Trim(), out reference, out string error)) { problem = null; return true; }
            problem = error;   // already names the input and the problem
            return false;
        }

        private static object Unwrap(object value) => value is PSObject pso ? pso.BaseObject : value;
    }
}
