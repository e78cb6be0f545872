// placeholder: implemented by the reference helper (see brief)
export {};
